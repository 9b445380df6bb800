"""Map basics shared by every map of the report: area outlines in SWEREF 99 TM and a base map.

Geometries come from ``areas.geojson`` (WGS84 after loading); a parent's outline is the union of
its children's (DESIGN §6). Maps are drawn in SWEREF 99 TM (EPSG:3006), Sweden's national
projected CRS, so distances and kernel densities are in metres. Functions return matplotlib
Figures and never read files.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from lagesbild_lib.data.areas import AreaRegistry

OUTLINE = "#333333"
SCHEMATIC_NOTE = "Schematisk karta: gränserna i demodata är påhittade och följer inte verkliga stadsdelsgränser."


def area_outlines(layer, registry: AreaRegistry, area_ids: list[str]) -> dict[str, object]:
    """Outlines (WGS84) of the given areas: an area's own feature, else the union of its leaves'.

    Areas with no geometry at all are left out.
    """
    from shapely.ops import unary_union

    own = layer.by_property("area_id") if layer is not None else {}
    out = {}
    for area in area_ids:
        if area in own:
            out[area] = own[area]
            continue
        parts = [own[leaf] for leaf in registry.leaves(area) if leaf in own]
        if parts:
            out[area] = unary_union(parts)
    return out


def base_map(outlines_sweref: dict[str, object], names: dict[str, str], *, size=(7.5, 6.0), label=True):
    """A figure with the area outlines drawn and labelled; returns (figure, axes)."""
    fig = Figure(figsize=size)
    ax = fig.subplots()
    for area, geom in outlines_sweref.items():
        draw_polygon(ax, geom, facecolor="none", edgecolor=OUTLINE, linewidth=0.8)
        if label:
            point = geom.representative_point()
            ax.annotate(
                names.get(area, area), (point.x, point.y), ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def draw_polygon(ax, geom, **style) -> None:
    """Draw a Polygon or MultiPolygon (with holes) on matplotlib axes."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        rings = [poly.exterior, *poly.interiors]
        vertices, codes = [], []
        for ring in rings:
            coords = list(ring.coords)
            vertices.extend(coords)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY])
        ax.add_patch(PathPatch(MplPath(vertices, codes), **style))
    ax.autoscale_view()
