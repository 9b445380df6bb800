"""Real boundaries of the demo: Stockholms stad's open outlines of its 117 stadsdelar (CC0).

The demo data set draws the stadsdelar of Stockholm on their real outlines, from the city's open
data file of stadsdelsgränser (property ``name``, upper case, WGS84), published under CC0 (see
``resources/LICENSE-CC0.txt``). The package carries a simplified copy,
``resources/stockholm-stadsdelar.geojson``, made from the city's file with::

    python -m lagesbild_lib.demo.boundaries stockholm-stadsdelar.geo.json

which (1) turns the outlines into a clean coverage – the city's file has slivers of overlap and
small gaps between neighbours; every piece between the noded boundaries goes to the stadsdel
that contains it, or (overlaps and gaps) to the neighbour it shares the longest edge with – (2)
simplifies the coverage so that neighbours keep sharing their edges (GEOS coverage simplification)
and (3) rounds the coordinates to five decimals (about a metre). Names are kept as in the city's
file; :data:`ALIASES` maps the one that is abbreviated there. Nothing is read from the network.
"""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path

import numpy as np
import shapely

RESOURCE = Path(__file__).resolve().parent / "resources" / "stockholm-stadsdelar.geojson"
#: The attribution the report shows wherever these outlines are drawn (and in Källor).
ATTRIBUTION = "Stadsdelsgränser: Stockholms stad, öppna data (CC0)"
#: Names of the city's file that differ from the demo's stadsdel names by more than case.
ALIASES = {"ULVSUNDA INDUSTRIOMR": "Ulvsunda industriområde"}
TOLERANCE = 0.00004  # degrees (2–4 m) for the coverage simplification
DECIMALS = 5
SIZE_LIMIT = 500_000  # bytes: the repository's cap for a committed file


def outline_key(name: str) -> str:
    """The key a stadsdel is matched on: its name in upper case, after :data:`ALIASES`."""
    name = ALIASES.get(name.upper(), name)
    return name.upper()


# --------------------------------------------------------------------------- making the resource


def clean_coverage(polygons: list) -> list:
    """Polygons that tile the plane without overlaps or gaps between them, one per input polygon.

    The boundaries of all polygons are noded and polygonised; a face inside exactly one polygon is
    that polygon's, a face inside several (an overlap) or none (a gap enclosed by the polygons)
    goes to the candidate – for a gap: any neighbour – sharing the longest edge with it.
    """
    tree = shapely.STRtree(polygons)
    lines = shapely.union_all([p.boundary for p in polygons])
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    owner = [-1] * len(faces)
    candidates = []
    for k, face in enumerate(faces):
        point = face.point_on_surface()
        inside = sorted(int(i) for i in tree.query(point, predicate="within") if polygons[int(i)].contains(point))
        candidates.append(inside)
        if len(inside) == 1:
            owner[k] = inside[0]
    face_tree = shapely.STRtree(faces)
    todo = [k for k in range(len(faces)) if owner[k] < 0]
    while todo:
        left = []
        for k in todo:
            shared: dict[int, float] = {}
            for j in face_tree.query(faces[k], predicate="touches"):
                o = owner[int(j)]
                if o < 0 or (candidates[k] and o not in candidates[k]):
                    continue
                shared[o] = shared.get(o, 0.0) + shapely.intersection(faces[k].boundary, faces[int(j)].boundary).length
            if shared:
                owner[k] = max(sorted(shared), key=lambda o: shared[o])
            else:
                left.append(k)
        if len(left) == len(todo):  # no neighbour owned yet: take the first candidate
            for k in left:
                owner[k] = candidates[k][0] if candidates[k] else 0
            left = []
        todo = left
    _reattach_islands(faces, owner, face_tree)
    return [shapely.union_all([faces[k] for k in range(len(faces)) if owner[k] == i]) for i in range(len(polygons))]


def _reattach_islands(faces: list, owner: list[int], face_tree) -> None:
    """Give the faces of a polygon's detached small parts to the neighbour they share most edge with."""
    for i in sorted(set(owner)):
        mine = [k for k in range(len(faces)) if owner[k] == i]
        parts = sorted(shapely.get_parts(shapely.union_all([faces[k] for k in mine])), key=lambda g: -g.area)
        for part in parts[1:]:
            for k in [k for k in mine if part.contains(faces[k].point_on_surface())]:
                shared: dict[int, float] = {}
                for j in face_tree.query(faces[k], predicate="touches"):
                    o = owner[int(j)]
                    if o != i:
                        shared[o] = shared.get(o, 0.0) + shapely.intersection(faces[k].boundary, faces[int(j)].boundary).length
                if shared:
                    owner[k] = max(sorted(shared), key=lambda o: shared[o])


def _round(geom, decimals: int = DECIMALS):
    return shapely.transform(geom, lambda c: np.round(c, decimals))


def build_resource(source: Path, out: Path = RESOURCE, tolerance: float = TOLERANCE) -> dict[str, int]:
    """Write the simplified, cleaned outlines of ``source`` (the city's GeoJSON) to ``out``.

    Returns
    -------
    dict with the number of features and of coordinates before and after, and the file's size.

    Raises
    ------
    ValueError
        The result is not a valid coverage of polygons, or the file would exceed :data:`SIZE_LIMIT`.
    """
    doc = json.loads(Path(source).read_text(encoding="utf-8"))
    names = [str(f["properties"]["name"]) for f in doc["features"]]
    polygons = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    clean = clean_coverage(polygons)
    simple = [_round(g) for g in shapely.coverage_simplify(clean, tolerance)]
    simple = [shapely.orient_polygons(g) for g in simple]
    bad = [n for n, g in zip(names, simple) if g.is_empty or not g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon")]
    if bad or not shapely.coverage_is_valid(simple):
        raise ValueError(f"the simplified outlines are not a valid coverage: {', '.join(bad) or 'overlapping edges'}")
    features = [
        {"type": "Feature", "properties": {"name": n}, "geometry": shapely.geometry.mapping(g)}
        for n, g in sorted(zip(names, simple), key=lambda item: item[0])
    ]
    result = {
        "type": "FeatureCollection",
        "name": "stockholm-stadsdelar",
        "source": "Stockholms stad, öppna data: stadsdelsgränser (CC0 1.0), förenklade med lagesbild_lib.demo.boundaries",
        "features": features,
    }
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n"
    size = len(text.encode("utf-8"))
    if size > SIZE_LIMIT:
        raise ValueError(f"{out}: {size} bytes, more than {SIZE_LIMIT}")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    coords = lambda gs: int(sum(len(shapely.get_coordinates(g)) for g in gs))  # noqa: E731
    return {"features": len(features), "coordinates_before": coords(polygons), "coordinates_after": coords(simple), "bytes": size}


# --------------------------------------------------------------------------- reading it


@functools.lru_cache(maxsize=4)
def read_outlines(path: Path = RESOURCE) -> dict[str, object]:
    """The bundled outlines (WGS84 shapely polygons) by :func:`outline_key` of their name (read once)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {outline_key(str(f["properties"]["name"])): shapely.geometry.shape(f["geometry"]) for f in doc["features"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lagesbild_lib.demo.boundaries",
        description="Förenkla Stockholms stads stadsdelsgränser (GeoJSON, CC0) till demodatas resursfil.",
    )
    parser.add_argument("source", type=Path, help="stadsdelsgränserna från Stockholms stads öppna data (GeoJSON, WGS84)")
    parser.add_argument("--out", type=Path, default=RESOURCE, help="filen som skrivs (standard: paketets resursfil)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="förenklingens tolerans i grader")
    args = parser.parse_args(argv)
    stats = build_resource(args.source, args.out, args.tolerance)
    print(
        f"{args.out}: {stats['features']} stadsdelar, {stats['coordinates_before']} → {stats['coordinates_after']} "
        f"koordinater, {stats['bytes']} byte"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
