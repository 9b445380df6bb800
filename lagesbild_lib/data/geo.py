"""GeoJSON layers of the data contract: area boundaries and the police's vulnerable areas.

Geometries are returned as shapely objects in WGS84 (lon/lat); a file in another CRS (declared in
its ``crs`` member) is reprojected. Invalid or non-polygon geometries are a :class:`DataError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib.errors import DataError

WGS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}


@dataclass(frozen=True)
class GeoLayer:
    """Features of one layer: a list of (properties, shapely geometry)."""

    path: Path
    features: tuple[tuple[dict, object], ...]

    def by_property(self, key: str) -> dict[str, object]:
        return {props[key]: geom for props, geom in self.features}


def read_geojson(path: Path, required_props: tuple[str, ...], known_areas: set[str] | None = None) -> GeoLayer:
    """Read and validate a polygon layer.

    Raises
    ------
    DataError
        Unreadable JSON, a feature without a required property, an area_id not in the registry,
        a geometry that is not a (multi)polygon or is invalid.
    """
    from shapely.geometry import shape

    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except PermissionError:
        raise DataError(f"{path}: cannot be read (permission denied); make the file readable") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: byte {exc.start} is not UTF-8; save the GeoJSON file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); expected a GeoJSON FeatureCollection") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); make it a readable GeoJSON file") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataError(f"{path}: expected a GeoJSON FeatureCollection")
    transform = _to_wgs84(path, doc.get("crs"))
    features = []
    for i, feat in enumerate(doc.get("features") or []):
        props = (feat or {}).get("properties") or {}
        for key in required_props:
            if props.get(key) in (None, ""):
                raise DataError(
                    f"{path}, feature {i + 1}: property '{key}' is missing; expected every feature to have {', '.join(required_props)}"
                )
        if known_areas is not None and props["area_id"] not in known_areas:
            raise DataError(
                f"{path}, feature {i + 1}: area_id {props['area_id']!r} is not an area_id of the areas table"
            )
        try:
            geom = shape(feat.get("geometry"))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise DataError(f"{path}, feature {i + 1}: unreadable geometry ({exc})") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise DataError(f"{path}, feature {i + 1}: geometry is a {geom.geom_type}; expected Polygon or MultiPolygon")
        if not geom.is_valid:
            from shapely.validation import explain_validity

            raise DataError(
                f"{path}, feature {i + 1}: invalid geometry ({explain_validity(geom)}); repair it (e.g. buffer(0) or make_valid)"
            )
        if transform is not None:
            geom = transform(geom)
        features.append((dict(props), geom))
    if not features:
        raise DataError(f"{path}: the layer has no features")
    return GeoLayer(path, tuple(features))


def _to_wgs84(path: Path, crs):
    """A coordinate transform to WGS84 for the file's declared CRS, or None when it is WGS84."""
    if not crs:
        return None
    name = ((crs.get("properties") or {}).get("name") or "") if isinstance(crs, dict) else ""
    if name in WGS84_NAMES:
        return None
    match = re.search(r"EPSG:+(\d+)", name)
    if not match:
        raise DataError(f"{path}: unknown crs {name!r}; expected an EPSG code such as 'EPSG:3006' or CRS84")
    from lagesbild_lib.data.crs import WGS84, reproject

    source = f"EPSG:{match.group(1)}"
    return lambda geom: reproject(geom, source, WGS84)
