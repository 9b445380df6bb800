"""Coordinate reference systems: WGS84 (lon/lat, as in GeoJSON) and SWEREF 99 TM (EPSG:3006,
Sweden's national projected CRS, in metres), and reprojection of shapely geometries between them.

Loaders and importers reproject with these; the maps draw in SWEREF 99 TM. Nothing here draws.
"""

from __future__ import annotations

from functools import lru_cache

SWEREF99TM = "EPSG:3006"
WGS84 = "EPSG:4326"


@lru_cache(maxsize=4)
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def to_sweref(geom):
    """A shapely geometry from WGS84 lon/lat to SWEREF 99 TM metres."""
    return reproject(geom, WGS84, SWEREF99TM)


def reproject(geom, source: str, target: str):
    """A shapely geometry from one CRS to another (coordinates as x/lon first)."""
    import numpy as np
    import shapely

    transformer = _transformer(source, target)
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def points_to_sweref(lon, lat):
    """Arrays of lon/lat to SWEREF 99 TM (x, y) arrays."""
    return _transformer(WGS84, SWEREF99TM).transform(lon, lat)
