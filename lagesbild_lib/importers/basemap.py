"""The analyst's own open map data → the base map layer ``basemap.geojson`` (drawn under every map).

Reads a GeoPackage (every feature table; read with the standard library's sqlite3), a GeoJSON or an
ESRI shapefile, in any CRS (the file's own, or ``--crs``). Each feature's class is mapped to one of
the base map's kinds – ``vatten``, ``väg``, ``järnväg``, ``bebyggelse`` – by :data:`DEFAULT_CLASSES`
(OpenStreetMap tags and Geofabrik's ``fclass``, Lantmäteriet's ``objekttyp``, the contract's own
names), extended or overridden by ``--mapping FIL`` (CSV ``value,layer``; ``key=value`` for one
tag; an empty layer leaves the class out). The class is looked for in ``--class-field``, else in
the usual properties (:data:`CLASS_FIELDS`), else in the words of the table's or file's name. A
class whose kind does not take the geometry (a ``residential`` road line is not built-up land) is
left out, as are points.

Kept features are reprojected to SWEREF 99 TM, clipped to the areas of ``areas.geojson`` (with a
margin), simplified (``--simplify`` metres), merged into one feature per kind and written in WGS84
with the properties ``layer`` and ``source`` (``--attribution``, shown under the maps).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from lagesbild_lib.data.schema import BASEMAP_LAYERS, LINEAR, POLYGONAL
from lagesbild_lib.errors import DataError, plural
from lagesbild_lib.importers.boundaries import (
    _features_geojson,
    _features_shapefile,
    _source_crs,
)
from lagesbild_lib.importers.output import ImportResult, Target

ORIGIN = "bakgrundskarta ur {name} (importerad med lagesbild import basemap)"
CLIP_MARGIN_M = 2000.0
SIMPLIFY_M = 5.0
PRECISION = 1e-6  # degrees, about a decimetre

#: Properties that name a feature's class, tried in this order (case-insensitive).
CLASS_FIELDS = ("layer", "objekttyp", "fclass", "highway", "railway", "waterway", "natural", "landuse", "water",
                "klass", "class", "typ", "type", "kategori")

#: Source classes → base map kinds ("" leaves the class out). Keys are lower case; ``key=value``
#: keys match one property only and are tried first.
DEFAULT_CLASSES: dict[str, str] = {
    # the contract's own names (a file already in this form)
    "vatten": "vatten", "väg": "väg", "järnväg": "järnväg", "bebyggelse": "bebyggelse",
    # OpenStreetMap tags and Geofabrik's fclass
    "natural=water": "vatten", "water": "vatten", "riverbank": "vatten", "reservoir": "vatten", "river": "vatten",
    "canal": "vatten", "lake": "vatten", "basin": "vatten", "bay": "vatten",
    "motorway": "väg", "trunk": "väg", "primary": "väg", "secondary": "väg",
    "highway=residential": "", "highway=service": "",
    "rail": "järnväg", "subway": "järnväg", "light_rail": "järnväg", "narrow_gauge": "järnväg",
    "landuse=residential": "bebyggelse", "residential": "bebyggelse", "industrial": "bebyggelse",
    "commercial": "bebyggelse", "retail": "bebyggelse",
    # Lantmäteriet's open topographic data (objekttyp)
    "sjö": "vatten", "hav": "vatten", "vattendragsyta": "vatten", "vattenyta": "vatten", "vattendrag": "vatten",
    "motorväg": "väg", "motortrafikled": "väg", "mötesfri väg": "väg", "landsväg": "väg", "huvudgata": "väg",
    "huvudväg": "väg", "europaväg": "väg", "riksväg": "väg",
    "tunnelbana": "järnväg", "spårväg": "järnväg", "museijärnväg": "järnväg",
    "låg bebyggelse": "bebyggelse", "hög bebyggelse": "bebyggelse", "sluten bebyggelse": "bebyggelse",
    "industri- och handelsbebyggelse": "bebyggelse",
}


def import_basemap(source: Path, target: Target, *, own_names: dict[str, str] | None = None, crs: str | None = None,
                   mapping: Path | None = None, class_field: str | None = None, simplify: float | None = None,
                   attribution: str | None = None) -> ImportResult:
    """Read open map data into a ``basemap.geojson`` layer.

    Raises
    ------
    DataError
        An unreadable file or mapping, an unknown CRS, projected coordinates without a CRS, or no
        feature that maps to a base map kind.
    """
    import shapely
    from shapely.geometry import mapping as geo_mapping
    from shapely.geometry import shape

    from lagesbild_lib.data.crs import SWEREF99TM, WGS84, reproject

    source = Path(source)
    if not source.is_file():
        raise DataError(f"{source}: filen finns inte; förväntade en GeoPackage (.gpkg), GeoJSON eller shapefil (.shp)")
    classes = dict(DEFAULT_CLASSES)
    if mapping:
        classes.update(_read_classes(Path(mapping)))
    tolerance = SIMPLIFY_M if simplify is None else float(simplify)
    if tolerance < 0:
        raise DataError(f"--simplify {simplify}: förväntade ett tal i meter, 0 eller större")
    clip = _clip_region(target)
    parts: dict[tuple[str, str], list] = {}
    unmapped: dict[str, int] = {}
    read = kept = 0
    gpkg = source.suffix.lower() == ".gpkg"
    for table, declared, features in _read_batches(source):
        source_crs = _source_crs(source, declared, crs)
        for n, (props, geometry) in enumerate(features, start=1):
            where = f"{source}, tabell {table}, rad {n}" if gpkg else f"{source}, objekt {n}"
            if geometry is None:
                continue
            read += 1
            try:
                geom = geometry if hasattr(geometry, "geom_type") else shape(geometry)
            except Exception:  # noqa: BLE001 — shapely raises several types for malformed coordinates
                raise DataError(f"{where}: geometrin går inte att läsa (ogiltiga koordinater eller okänd geometrityp); "
                                "förväntade linjer eller ytor med koordinater som tal") from None
            dim = "polygon" if geom.geom_type in POLYGONAL else "line" if geom.geom_type in LINEAR else None
            if dim is None or geom.is_empty:
                continue
            kind, label = _kind(props, table, classes, class_field, geom.geom_type)
            if kind is None:
                if label:
                    unmapped[label] = unmapped.get(label, 0) + 1
                continue
            if source_crs is None:
                minx, miny, maxx, maxy = geom.bounds
                if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
                    raise DataError(
                        f"{where}: koordinater som {maxx:.0f}, {maxy:.0f} är inte longitud/latitud och filen anger "
                        "inget koordinatsystem; ange det med --crs (t.ex. --crs EPSG:3006 för SWEREF 99 TM)"
                    )
            geom = reproject(geom, source_crs or WGS84, SWEREF99TM)
            if not geom.is_valid:
                geom = shapely.make_valid(geom)
            if clip is not None:
                geom = geom.intersection(clip)
            geom = geom.simplify(tolerance) if tolerance else geom
            pieces = [p for p in shapely.get_parts(geom) if (p.geom_type in POLYGONAL if dim == "polygon" else p.geom_type in LINEAR) and not p.is_empty]
            if pieces:
                kept += 1
                parts.setdefault((kind, dim), []).extend(pieces)
    if not parts:
        found = ", ".join(f"{k} ({v})" for k, v in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:8]) or "inga"
        raise DataError(
            f"{source}: inget av filens {plural(read, 'objekt', 'objekt')} blev vatten, väg, järnväg eller bebyggelse "
            f"(klasser i filen: {found}); ange klassernas lager med --mapping FIL (kolumnerna value,layer) eller egenskapen med --class-field"
        )
    credit = (attribution or "").strip() or source.name
    out_features = []
    for kind in BASEMAP_LAYERS:
        for dim in ("polygon", "line"):
            if (kind, dim) not in parts:
                continue
            merged = shapely.union_all(parts[(kind, dim)])
            if dim == "line":
                merged = shapely.line_merge(merged) if merged.geom_type == "MultiLineString" else merged
            merged = shapely.set_precision(reproject(merged, SWEREF99TM, WGS84), PRECISION)
            pieces = [p for p in shapely.get_parts(merged) if p.geom_type in (POLYGONAL if dim == "polygon" else LINEAR) and not p.is_empty]
            if not pieces:
                continue
            geom = shapely.multipolygons(pieces) if dim == "polygon" else shapely.multilinestrings(pieces)
            if not geom.is_valid:
                geom = shapely.make_valid(geom)
            out_features.append({"type": "Feature", "properties": {"layer": kind, "source": credit}, "geometry": geo_mapping(geom)})
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": out_features}
    result = ImportResult("basemap", source, ORIGIN.format(name=source.name))
    result.geojson["basemap"] = doc
    kinds = sorted({k for k, _ in parts}, key=list(BASEMAP_LAYERS).index)
    result.notes.append(f"{plural(kept, 'objekt', 'objekt')} av {read} fördes till bakgrundskartan: {', '.join(kinds)}.")
    if clip is None:
        result.notes.append("Datamappen har ingen areas.geojson: bakgrundskartan klipptes inte till områdena.")
    if unmapped:
        listed = ", ".join(f"{k} ({v})" for k, v in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
        result.notes.append(f"Klasser som inte hör till bakgrundskartan lämnades utanför: {listed}.")
    return result


def _read_classes(path: Path) -> dict[str, str]:
    from lagesbild_lib.importers.sheet import read_mapping

    out = {}
    for value, kind in read_mapping(path, ("value", "layer")).items():
        kind = kind.strip().lower()
        if kind and kind not in BASEMAP_LAYERS:
            raise DataError(f"{path}: lagret {kind!r} för klassen {value!r} finns inte; förväntade {', '.join(BASEMAP_LAYERS)} eller tomt")
        out[value.strip().lower()] = kind
    return out


def _kind(props: dict, table: str, classes: dict[str, str], class_field: str | None, geom_type: str) -> tuple[str | None, str]:
    """The base map kind of a feature (None: left out) and the class it was known by."""
    lowered = {str(k).lower(): v for k, v in props.items()}
    fields = [class_field.lower()] if class_field else list(CLASS_FIELDS)
    first = ""
    for field in fields:
        value = lowered.get(field)
        if value in (None, "") or isinstance(value, bytes):
            continue
        value = str(value).strip().lower()
        first = first or f"{field}={value}"
        for key in (f"{field}={value}", value):
            if key in classes:
                kind = classes[key] or None
                return (kind if kind and geom_type in BASEMAP_LAYERS[kind] else None), ("" if kind else key)
    if not class_field:
        for key, value in lowered.items():  # a mapping's "key=value" for any other property
            tag = f"{key}={str(value).strip().lower()}"
            if tag in classes and value not in (None, "") and not isinstance(value, bytes):
                kind = classes[tag] or None
                return (kind if kind and geom_type in BASEMAP_LAYERS[kind] else None), ("" if kind else tag)
        for word in re.split(r"[^a-zåäö]+", table.lower()):
            kind = classes.get(word) or classes.get(word.rstrip("s"))
            if kind and geom_type in BASEMAP_LAYERS[kind]:
                return kind, word
    if not first:  # no class property: name the feature by its first other property
        first = next((f"{k}={v}" for k, v in lowered.items() if k not in ("name", "namn", "id", "fid", "osm_id") and v not in (None, "")
                      and not isinstance(v, bytes)), "")
    return None, first


def _read_batches(source: Path) -> list[tuple[str, str | None, list]]:
    """(table name, declared CRS, [(properties, geometry)]) for each layer of the file."""
    suffix = source.suffix.lower()
    if suffix == ".gpkg":
        return _read_gpkg(source)
    if suffix == ".shp":
        features, declared = _features_shapefile(source)
    elif suffix in (".geojson", ".json"):
        features, declared = _features_geojson(source)
    else:
        raise DataError(f"{source}: okänt format för en bakgrundskarta {source.suffix!r}; förväntade .gpkg, .geojson, .json eller .shp")
    return [(source.stem, declared, features)]


def _read_gpkg(path: Path) -> list[tuple[str, str | None, list]]:
    """Every feature table of a GeoPackage (OGC GeoPackage 1.x: a SQLite database)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataError(f"{path}: kan inte öppnas ({exc}); förväntade en GeoPackage") from None
    try:
        tables = con.execute(
            "SELECT c.table_name, g.column_name, c.srs_id FROM gpkg_contents c "
            "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name"
        ).fetchall()
        out = []
        for table, column, srs_id in tables:
            columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
            features = []
            for n, row in enumerate(con.execute(f'SELECT * FROM "{table}"'), start=1):
                props = dict(zip(columns, row))
                blob = props.pop(column, None)
                features.append((props, _gpkg_geometry(path, table, n, blob)))
            out.append((table, _gpkg_crs(con, srs_id), features))
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: ingen läsbar GeoPackage ({exc}); förväntade tabellerna gpkg_contents och gpkg_geometry_columns") from None
    finally:
        con.close()
    if not out:
        raise DataError(f"{path}: GeoPackage-filen har inga objekttabeller (features); förväntade minst en med linjer eller ytor")
    return out


def _gpkg_geometry(path: Path, table: str, n: int, blob):
    """A GeoPackage geometry blob ("GP" header, optional envelope, then WKB) as a shapely geometry."""
    import shapely

    if blob is None:
        return None
    data = bytes(blob)
    if len(data) < 8 or data[:2] != b"GP":
        raise DataError(f"{path}, tabell {table}, rad {n}: geometrin är inte en GeoPackage-geometri (saknar 'GP'-huvudet)")
    envelope = (data[3] >> 1) & 0b111
    if envelope > 4:
        raise DataError(f"{path}, tabell {table}, rad {n}: okänd envelope-kod {envelope} i geometrins huvud")
    start = 8 + (0, 32, 48, 48, 64)[envelope]
    try:
        return shapely.from_wkb(data[start:])
    except shapely.errors.GEOSException as exc:
        raise DataError(f"{path}, tabell {table}, rad {n}: geometrin går inte att läsa ({exc})") from None


def _gpkg_crs(con, srs_id) -> str | None:
    """The table's CRS as "EPSG:n" (or WKT), None for WGS84 or an undefined one."""
    if srs_id in (None, 0, -1, 4326):
        return None
    row = con.execute("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone()
    if row is None:
        return f"EPSG:{srs_id}"
    organization, code, definition = row
    if str(organization).upper() == "EPSG" and code:
        return f"EPSG:{code}"
    return definition or f"EPSG:{srs_id}"


def _clip_region(target: Target):
    """The areas of ``areas.geojson`` (the output folder's, else the registry folder's) in SWEREF 99 TM, with a margin."""
    import shapely

    from lagesbild_lib.data.crs import to_sweref
    from lagesbild_lib.data.dataset import DataSet

    layer = None
    if (target.out_dir / "areas.geojson").is_file():
        layer = DataSet(target.out_dir).geo("areas")
    elif target.registry_data.has("areas.geojson"):
        layer = target.registry_data.geo("areas")
    if layer is None:
        return None
    return shapely.union_all([to_sweref(g) for _, g in layer.features]).buffer(CLIP_MARGIN_M, quad_segs=4)
