"""Areas, places and map layers of the demo data set: the ``areas`` registry table, the ``places``
table (priority places, open drug scenes, illegal settlements) and the features of the two GeoJSON
layers, ``areas.geojson`` (the lowest level: the real outlines of Stockholm's stadsdelar, schematic
cells for Solna's delområden; the police areas' members without sub-areas, Ekerö and Sundbyberg,
are added by :mod:`lagesbild_lib.demo.kommun_outlines`) and ``vulnerable_areas.geojson`` (the police's vulnerable areas drawn
on the outlines of the stadsdelar they lie in). Every feature of ``areas.geojson`` says where its
outline comes from: property ``source`` (the attribution the maps show) or ``schematic`` (true for
an invented outline), so the report does not have to assume anything about demo data.
"""

from __future__ import annotations

import pandas as pd
import shapely

from lagesbild_lib.demo.boundaries import ATTRIBUTION, outline_key, read_outlines
from lagesbild_lib.demo.kommun_outlines import ORIGIN as KOMMUN_ORIGIN
from lagesbild_lib.demo.geography import PLACES, SMEDSHAGEN, SMEDSHAGEN_RING, VULNERABLE_AREAS
from lagesbild_lib.demo.world import STOCKHOLM, DemoWorld, geom_to_lonlat, slugify


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


# --------------------------------------------------------------------------- GeoJSON layers


def areas_features(world: DemoWorld) -> list[tuple[dict, object]]:
    """Features of ``areas.geojson``: the lowest level only (stadsdelar, Solna's delområden).

    A stadsdel of Stockholm carries ``source`` (:data:`~lagesbild_lib.demo.boundaries.ATTRIBUTION`),
    a schematic cell of Solna ``schematic: true``.
    """
    out = []
    for i, leaf in enumerate(world.leaves):
        props: dict = {"area_id": leaf.area_id, "name": leaf.info.name}
        props.update({"source": ATTRIBUTION} if leaf.kommun_id == STOCKHOLM else {"schematic": True})
        out.append((props, leaf_outline(world, i)))
    return out


def leaf_outline(world: DemoWorld, i: int):
    """The outline (lon/lat) of leaf ``i``: a stadsdel's exactly as bundled, a schematic cell unprojected."""
    leaf = world.leaves[i]
    if leaf.kommun_id == STOCKHOLM:
        return shapely.orient_polygons(read_outlines()[outline_key(leaf.info.name)])
    # cut again in lon/lat (after the rounding), so that it cannot overlap a stadsdel
    cell = shapely.difference(geom_to_lonlat(world.cells[i]), shapely.union_all(list(read_outlines().values())))
    parts = sorted(shapely.get_parts(cell), key=lambda g: -g.area)
    return shapely.orient_polygons(parts[0])


def smedshagen_outline(world: DemoWorld):
    """Smedshagen (lon/lat): the approximate ring cut to Hässelby villastad's outline."""
    villastad = leaf_outline(world, world.leaf_index("Hässelby villastad"))
    return geom_to_lonlat_exact(shapely.Polygon(SMEDSHAGEN_RING).intersection(villastad))


def geom_to_lonlat_exact(geom):
    """A lon/lat geometry with coordinates rounded to five decimals, valid, exterior rings CCW."""
    geom = shapely.set_precision(geom, 1e-5)
    return shapely.orient_polygons(geom if geom.is_valid else shapely.make_valid(geom))


def vulnerable_features(world: DemoWorld) -> list[tuple[dict, object]]:
    """Features of ``vulnerable_areas.geojson``: each police area as the union of its outlines."""
    features = []
    for name, category, parts in VULNERABLE_AREAS:
        shapes = [smedshagen_outline(world) if part == SMEDSHAGEN else leaf_outline(world, world.leaf_index(part))
                  for part in parts]
        features.append(({"name": name, "category": category}, geom_to_lonlat_exact(shapely.union_all(shapes))))
    return features


def origins() -> dict[str, dict]:
    """The demo's ``sources.json``: where the outlines of ``areas.geojson`` come from (Källor quotes it)."""
    origin = f"{ATTRIBUTION}, förenklade; Solnas delområden är schematiska gränser, påhittade i demodata; {KOMMUN_ORIGIN}"
    return {"areas.geojson": {"importer": "demo-data", "origin": origin, "notes": []}}
