"""Areas, places and map layers of the demo data set: the ``areas`` registry table, the ``places``
table (priority places, open drug scenes, illegal settlements) and the features of the two GeoJSON
layers, ``areas.geojson`` (the schematic cells of the lowest level) and ``vulnerable_areas.geojson``
(schematic hulls around the police's vulnerable areas).
"""

from __future__ import annotations

import pandas as pd
import shapely

from lagesbild_lib.demo.geography import PLACES, VULNERABLE_AREAS
from lagesbild_lib.demo.world import DemoWorld, geom_to_lonlat, slugify, to_km


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
    """Features of ``areas.geojson``: the lowest level only (stadsdelar, Solna's delområden)."""
    return [
        ({"area_id": leaf.area_id, "name": leaf.info.name}, geom_to_lonlat(cell))
        for leaf, cell in zip(world.leaves, world.cells)
    ]


def vulnerable_features() -> list[tuple[dict, object]]:
    """Features of ``vulnerable_areas.geojson``: schematic hulls around the police's areas."""
    features = []
    for name, category, points in VULNERABLE_AREAS:
        x, y = to_km([p[0] for p in points], [p[1] for p in points])
        discs = shapely.buffer(shapely.points(x, y), 0.7, quad_segs=6)
        hull = shapely.convex_hull(shapely.union_all(discs))
        features.append(({"name": name, "category": category}, geom_to_lonlat(hull)))
    return features
