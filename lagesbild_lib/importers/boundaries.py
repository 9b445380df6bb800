"""Bring-your-own area boundaries (GeoJSON or ESRI shapefile) → ``areas.geojson``.

The boundary file may be in any CRS: a GeoJSON's ``crs`` member or a shapefile's ``.prj`` says
which (``--crs`` overrides; a file with neither is taken as WGS84 unless its coordinates are
plainly projected, which is an error asking for ``--crs``). Geometries are reprojected to WGS84.
Each feature's name (``--name-field``, or the first of the usual name properties) is matched to an
area id (``HÄSSELBY GÅRD`` → ``hasselby-gard``); unmatched names are listed and left out; several
features of one area are merged; invalid geometries are repaired (``shapely.make_valid``, keeping
the polygons) and listed, and a geometry that cannot be repaired is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from lagesbild_lib.data.geo import validity_reason
from lagesbild_lib.errors import DataError, plural
from lagesbild_lib.importers.names import AreaMatcher, name_key
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.sheet import read_json

NAME_FIELDS = ("name", "namn", "stadsdel", "stadsdelsnamn", "stadsdel namn", "sdn namn", "omrade", "omradesnamn", "delomrade", "label", "area name")
WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "epsg:4326", "urn:ogc:def:crs:epsg::4326", "crs84"}
ORIGIN = "områdesgränser ur {name} (importerade med lagesbild import boundaries)"
PRECISION = 1e-7  # degrees, about a centimetre: keeps the file small without moving a boundary


def _features_geojson(path: Path) -> tuple[list[tuple[dict, dict | None]], str | None]:
    doc = read_json(path, "en GeoJSON FeatureCollection")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataError(f"{path}: förväntade en GeoJSON FeatureCollection")
    crs = None
    if isinstance(doc.get("crs"), dict):
        crs = str((doc["crs"].get("properties") or {}).get("name") or "") or None
    features = []
    for feat in doc.get("features") or []:
        if not isinstance(feat, dict):
            feat = {}
        features.append((dict(feat.get("properties") or {}), feat.get("geometry")))
    return features, crs


def _features_shapefile(path: Path) -> tuple[list[tuple[dict, dict | None]], str | None]:
    try:
        import shapefile
    except ImportError:
        raise DataError(f"{path}: för att läsa shapefiler behövs paketet pyshp (pip install pyshp); eller konvertera filen till GeoJSON") from None
    missing = [s for s in (".shx", ".dbf") if not path.with_suffix(s).is_file() and not path.with_suffix(s.upper()).is_file()]
    if missing:
        raise DataError(f"{path}: shapefilens {' och '.join(missing)}-fil saknas bredvid den; förväntade .shp, .shx och .dbf tillsammans")
    encoding = "utf-8"
    cpg = path.with_suffix(".cpg")
    if cpg.is_file():
        encoding = cpg.read_text(encoding="ascii", errors="replace").strip() or encoding
        encoding = {"1252": "cp1252", "ansi 1252": "cp1252"}.get(encoding.lower(), encoding)
    try:
        with shapefile.Reader(str(path), encoding=encoding, encodingErrors="replace") as reader:
            features = [(dict(sr.record.as_dict()), sr.shape.__geo_interface__ if sr.shape.shapeType else None) for sr in reader.iterShapeRecords()]
    except (shapefile.ShapefileException, OSError, ValueError, LookupError) as exc:
        raise DataError(f"{path}: ingen läsbar shapefil ({exc})") from None
    prj = path.with_suffix(".prj")
    return features, prj.read_text(encoding="utf-8", errors="replace") if prj.is_file() else None


def _source_crs(path: Path, declared: str | None, override: str | None) -> str | None:
    """The source CRS as a pyproj string, or None for WGS84."""
    text = (override or declared or "").strip()
    if not text or text.lower() in WGS84_NAMES:
        return None
    match = re.fullmatch(r"(?:urn:ogc:def:crs:)?EPSG:+(\d+)", text, re.I)
    if match:
        text = f"EPSG:{match.group(1)}"
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(text)
    except CRSError:
        raise DataError(f"{path}: okänt koordinatsystem {text[:60]!r}; förväntade en EPSG-kod som EPSG:3006 (ange den med --crs)") from None
    if crs.is_geographic and crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def _pick_name_field(path: Path, features: list[tuple[dict, dict | None]], name_field: str | None) -> str:
    props = features[0][0] if features else {}
    if name_field:
        if not any(name_field in p for p, _ in features):
            raise DataError(f"{path}: inget objekt har egenskapen {name_field!r}; egenskaperna är {', '.join(props) or 'inga'} (--name-field)")
        return name_field
    for candidate in NAME_FIELDS:
        for key in props:
            if name_key(key) == candidate:
                return key
    raise DataError(f"{path}: ingen egenskap med namn hittades; ange --name-field med en av {', '.join(props) or 'inga egenskaper'}")


def import_boundaries(source: Path, target: Target, *, own_names: dict[str, str] | None = None,
                      name_field: str | None = None, crs: str | None = None) -> ImportResult:
    """Read a boundary file into an ``areas.geojson`` layer (WGS84, property ``area_id`` and ``name``).

    Raises
    ------
    DataError
        An unreadable file, an unknown CRS, projected coordinates without a CRS, a feature without
        a name or with a geometry that is not a polygon or cannot be repaired, or no name that
        matches the registry.
    """
    import shapely
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union
    from shapely.validation import make_valid

    source = Path(source)
    if not source.is_file():
        raise DataError(f"{source}: filen finns inte; förväntade en GeoJSON-fil eller shapefil med områdesgränser")
    if source.suffix.lower() == ".shp":
        features, declared = _features_shapefile(source)
    elif source.suffix.lower() in (".geojson", ".json"):
        features, declared = _features_geojson(source)
    else:
        raise DataError(f"{source}: okänt format för gränser {source.suffix!r}; förväntade .geojson, .json eller .shp")
    if not features:
        raise DataError(f"{source}: filen har inga objekt; förväntade en polygon per område")
    field = _pick_name_field(source, features, name_field)
    source_crs = _source_crs(source, declared, crs)
    matcher = AreaMatcher(target.registry, prefer=("leaf",), own_names=own_names)
    by_area: dict[str, list] = {}
    names: dict[str, list[str]] = {}
    repaired: list[str] = []
    for n, (props, geometry) in enumerate(features, start=1):
        raw_name = props.get(field)
        if raw_name is None or not str(raw_name).strip():
            raise DataError(f"{source}, objekt {n}: egenskapen {field!r} är tom; förväntade ett namn på varje objekt")
        label = str(raw_name).strip()
        if geometry is None:
            raise DataError(f"{source}, objekt {n} ({label!r}): geometri saknas; förväntade en Polygon eller MultiPolygon")
        try:
            geom = shape(geometry)
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise DataError(f"{source}, objekt {n} ({label!r}): geometrin går inte att läsa ({exc}); förväntade en Polygon eller MultiPolygon") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise DataError(f"{source}, objekt {n} ({label!r}): geometrin är en {geom.geom_type}; förväntade Polygon eller MultiPolygon")
        if source_crs is None and not geom.is_empty:
            minx, miny, maxx, maxy = geom.bounds
            if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
                raise DataError(
                    f"{source}, objekt {n} ({label!r}): koordinater som {maxx:.0f}, {maxy:.0f} är inte longitud/latitud och filen anger inget koordinatsystem; "
                    "ange koordinatsystemet med --crs (t.ex. --crs EPSG:3006 för SWEREF 99 TM)"
                )
        if not geom.is_valid:
            reason = validity_reason(geom)
            geom = _polygons(make_valid(geom))
            if geom.is_empty:
                raise DataError(f"{source}, objekt {n} ({label!r}): ogiltig geometri ({reason}) som inte gick att reparera; rätta den i ett GIS-program och importera igen")
            repaired.append(f"{label} ({reason})")
        area = matcher.match(label)
        if area is None:
            continue
        by_area.setdefault(area, []).append(geom)
        names.setdefault(area, []).append(label)
    if not by_area:
        raise DataError(
            f"{source}: inget av namnen i {field!r} matchade områdesregistret i {target.registry_data.data_dir} "
            f"({', '.join(repr(n) for n in matcher.unmatched[:5])}); förväntade namn som 'Hässelby gård', eller en namnlista med --names FIL"
        )
    from lagesbild_lib.data.crs import WGS84, reproject

    out_features = []
    for area in sorted(by_area):
        geom = by_area[area][0] if len(by_area[area]) == 1 else unary_union(by_area[area])
        if source_crs is not None:
            geom = reproject(geom, source_crs, WGS84)
        geom = _polygons(shapely.set_precision(geom, PRECISION))
        if not geom.is_valid:
            geom = _polygons(make_valid(geom))
        out_features.append({
            "type": "Feature",
            "properties": {"area_id": area, "name": target.registry.name(area), "source_name": " + ".join(names[area])},
            "geometry": mapping(geom),
        })
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": out_features,
    }
    result = ImportResult("boundaries", source, ORIGIN.format(name=source.name), unmatched=list(matcher.unmatched))
    result.geojson["areas"] = doc
    if source_crs is not None:
        result.notes.append(f"Gränserna räknades om från {source_crs if source_crs.startswith('EPSG') else 'filens CRS'} till WGS84.")
    if repaired:
        result.notes.append(f"{plural(len(repaired), 'ogiltig geometri', 'ogiltiga geometrier')} reparerades (make_valid): {'; '.join(repaired)}.")
    merged = [f"{target.registry.name(a)} ({len(g)} delar)" for a, g in sorted(by_area.items()) if len(g) > 1]
    if merged:
        result.notes.append(f"Flera ytor med samma område slogs ihop: {', '.join(merged)}.")
    return result


def _polygons(geom):
    """Only the polygonal parts of a geometry (make_valid may add lines or points), as one (Multi)Polygon."""
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = []
    for part in getattr(geom, "geoms", []):
        part = _polygons(part)
        if isinstance(part, Polygon) and not part.is_empty:
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)
