"""GeoJSON layers of the data contract: area boundaries and the police's vulnerable areas.

Geometries are returned as shapely objects in WGS84 (lon/lat); a file in another CRS (declared in
its ``crs`` member) is reprojected. Invalid or non-polygon geometries are a :class:`DataError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib.errors import DataError, json_problem, os_reason

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
        raise DataError(f"{path}: kan inte läsas (åtkomst nekad); gör filen läsbar") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: byte {exc.start} är inte UTF-8; spara GeoJSON-filen som UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}, rad {exc.lineno}, position {exc.colno}: ogiltig JSON ({json_problem(exc)}); förväntade en GeoJSON FeatureCollection") from None
    except OSError as exc:
        raise DataError(f"{path}: kan inte läsas ({os_reason(exc)}); gör den till en läsbar GeoJSON-fil") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataError(f"{path}: förväntade en GeoJSON FeatureCollection")
    transform = _to_wgs84(path, doc.get("crs"))
    features = []
    for i, feat in enumerate(doc.get("features") or []):
        props = (feat or {}).get("properties") or {}
        for key in required_props:
            if props.get(key) in (None, ""):
                raise DataError(
                    f"{path}, objekt {i + 1}: egenskapen '{key}' saknas; förväntade att varje objekt har {', '.join(required_props)}"
                )
        if known_areas is not None and props["area_id"] not in known_areas:
            raise DataError(
                f"{path}, objekt {i + 1}: area_id {props['area_id']!r} finns inte i tabellen areas; förväntade ett area_id därifrån"
            )
        try:
            geom = shape(feat.get("geometry"))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise DataError(f"{path}, objekt {i + 1}: geometrin går inte att läsa ({exc})") from None
        allowed = _allowed_geometries(path, i, props)
        if geom.geom_type not in allowed:
            raise DataError(f"{path}, objekt {i + 1}: geometrin är en {geom.geom_type}; förväntade {', '.join(allowed[:-1])} eller {allowed[-1]}")
        if not geom.is_valid:
            raise DataError(
                f"{path}, objekt {i + 1}: ogiltig geometri ({validity_reason(geom)}); reparera den (t.ex. med buffer(0) eller make_valid)"
            )
        if transform is not None:
            geom = transform(geom)
        features.append((dict(props), geom))
    if not features:
        raise DataError(f"{path}: lagret har inga objekt; förväntade minst en polygon")
    return GeoLayer(path, tuple(features))


def _allowed_geometries(path: Path, i: int, props: dict) -> tuple[str, ...]:
    """The geometry types a feature may have: polygons, or by its kind for layers such as the base
    map (:data:`~lagesbild_lib.data.schema.GEO_KINDS`, keyed on the file's stem: the layer's name)."""
    from lagesbild_lib.data.schema import GEO_KINDS, POLYGONAL

    if path.stem not in GEO_KINDS:
        return POLYGONAL
    key, kinds = GEO_KINDS[path.stem]
    value = props.get(key)
    if value not in kinds:
        raise DataError(
            f"{path}, objekt {i + 1}: egenskapen '{key}' har värdet {value!r}; förväntade en av {', '.join(kinds)}"
        )
    return kinds[value]


#: GEOS's reasons for an invalid geometry, in Swedish.
_INVALID = {
    "self-intersection": "självkorsning",
    "ring self-intersection": "ringen korsar sig själv",
    "hole lies outside shell": "ett hål ligger utanför ytterkanten",
    "holes are nested": "hål ligger i varandra",
    "interior is disconnected": "ytan är delad i flera bitar",
    "nested shells": "ytterkanter ligger i varandra",
    "duplicate rings": "dubblerade ringar",
    "too few distinct points in geometry component": "för få punkter",
    "too few points in geometry component": "för få punkter",
    "invalid coordinate": "ogiltig koordinat",
    "ring is not closed": "ringen är inte sluten",
    "repeated point": "upprepad punkt",
}


def validity_reason(geom) -> str:
    """Why a geometry is invalid, in Swedish: ``"självkorsning vid 17.905 59.365"``."""
    from shapely.validation import explain_validity

    text = explain_validity(geom)
    match = re.fullmatch(r"\s*([^\[]*?)\s*\[([^\]]*)\]\s*", text)
    reason, where = (match.group(1), match.group(2)) if match else (text, "")
    reason = _INVALID.get(reason.lower(), reason)
    return f"{reason} vid {where}" if where else reason


def _to_wgs84(path: Path, crs):
    """A coordinate transform to WGS84 for the file's declared CRS, or None when it is WGS84."""
    if not crs:
        return None
    name = ((crs.get("properties") or {}).get("name") or "") if isinstance(crs, dict) else ""
    if name in WGS84_NAMES:
        return None
    match = re.search(r"EPSG:+(\d+)", name)
    if not match:
        raise DataError(f"{path}: okänt koordinatsystem (crs) {name!r}; förväntade en EPSG-kod som 'EPSG:3006' eller CRS84")
    from lagesbild_lib.data.crs import WGS84, reproject

    source = f"EPSG:{match.group(1)}"
    return lambda geom: reproject(geom, source, WGS84)
