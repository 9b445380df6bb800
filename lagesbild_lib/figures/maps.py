"""Map basics shared by every map of the report: area outlines in SWEREF 99 TM, the ground under
them, and the finish every map gets (scale bar, north arrow, labels placed without overlaps).

Geometries come from ``areas.geojson`` (WGS84 after loading); a parent's outline is the union of
its children's (DESIGN §6). Maps are drawn in SWEREF 99 TM (EPSG:3006), Sweden's national
projected CRS, so distances and kernel densities are in metres. Functions return matplotlib
Figures and never read files.

Every map is made the same way::

    fig, ax = map_figure(outlines, ground=ground)        # base map, outlines, extent
    ...                                                   # the map's own data (zorder ≥ 0.5)
    finish_map(ax, area_labels(outlines, names))          # scale bar, north arrow, labels

where ``ground`` is :func:`~lagesbild_lib.figures.basemap.ground_from_layer` of the data folder's
``basemap`` layer (None without one) and :func:`finish_map` comes last, when the layout is final.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.figures.basemap import (
    Ground,
    add_north_arrow,
    add_scale_bar,
    draw_ground,
    draw_polygon,
    finite_bounds,
)
from lagesbild_lib.figures.labels import MapLabel, artist_boxes, place_labels

OUTLINE = "#333333"
SCHEMATIC_NOTE = "Schematisk karta: gränserna i demodata är påhittade och följer inte verkliga områdesgränser."
PAD = 0.04  # margin around the outlines, as a share of the larger side

__all__ = ["OUTLINE", "SCHEMATIC_NOTE", "MapLabel", "area_labels", "area_outlines", "draw_polygon", "finish_map", "label_size", "map_figure",
           "outline_origin"]


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


def outline_origin(layer, registry: AreaRegistry, area_ids: list[str]) -> tuple[bool, str]:
    """Where the drawn outlines come from, as the data say: per feature of ``areas.geojson`` the
    optional properties ``schematic`` (true: an invented outline) and ``source`` (an attribution,
    e.g. "Stadsdelsgränser: Stockholms stad, öppna data (CC0)").

    Returns
    -------
    (schematic, note)
        Whether any outline of ``area_ids`` (its own feature, else its leaves') is schematic, and
        the note for the map: :data:`SCHEMATIC_NOTE` first when one is, then each distinct source
        as a sentence ("" when the features say nothing).
    """
    if layer is None:
        return False, ""
    props = {p.get("area_id"): p for p, _ in layer.features}
    ids: list[str] = []
    for area in area_ids:
        ids += [area] if area in props else [leaf for leaf in registry.leaves(area) if leaf in props]
    schematic = any(str(props[a].get("schematic", "")).strip().lower() in ("true", "1", "ja") for a in ids)
    sources = dict.fromkeys(str(props[a].get("source") or "").strip().rstrip(".") for a in ids)
    parts = ([SCHEMATIC_NOTE] if schematic else []) + [f"{s}." for s in sources if s]
    return schematic, " ".join(parts)


def map_figure(outlines_sweref: dict[str, object], *, ground: Ground | None = None, size=(7.5, 6.0),
               outline: bool = True, extent=None) -> tuple[Figure, object]:
    """A map's figure: the base map (when given) under the area outlines, framed on the outlines.

    Parameters
    ----------
    outlines_sweref
        Geometry per area id in SWEREF 99 TM.
    ground
        The base map (:func:`~lagesbild_lib.figures.basemap.ground_from_layer`), or None.
    size
        Figure size in inches.
    outline
        Draw the outlines (thin, dark grey) or leave them to the caller.
    extent
        Geometries to frame instead of the outlines.

    Returns
    -------
    (Figure, Axes)
        Axes with equal aspect, no axis lines, limits fixed (later drawing does not move them).
    """
    fig = Figure(figsize=size)
    ax = fig.subplots()
    draw_ground(ax, ground)
    if outline:
        for geom in outlines_sweref.values():
            draw_polygon(ax, geom, autoscale=False, facecolor="none", edgecolor=OUTLINE, linewidth=0.8, zorder=3)
    bounds = finite_bounds(list(extent) if extent is not None else list(outlines_sweref.values()))
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        pad = PAD * max(maxx - minx, maxy - miny, 1.0)
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def label_size(n: int) -> float:
    """Font size of area names: smaller on crowded maps (Bromma has 25 sub-areas)."""
    return 7.0 if n <= 12 else 6.0


def area_labels(outlines_sweref: dict[str, object], texts: dict[str, str], fontsize: float | None = None) -> list[MapLabel]:
    """One label per area, anchored at a point inside it (``texts``: area id → label; others use the id)."""
    size = fontsize or label_size(len(outlines_sweref))
    out = []
    for area, geom in outlines_sweref.items():
        point = geom.representative_point()
        out.append(MapLabel(texts.get(area, area), point.x, point.y, inside=geom, fontsize=size))
    return out


def finish_map(ax, labels: list[MapLabel] = (), obstacles=()) -> list:
    """Add the scale bar and north arrow, then place ``labels`` clear of them, of ``obstacles``
    (display boxes, e.g. :func:`~lagesbild_lib.figures.labels.marker_boxes`) and of each other.

    Call it last: after colour bars, legends and ``tight_layout``. Returns the placed labels.
    """
    ax.apply_aspect()
    fixed = add_scale_bar(ax) + add_north_arrow(ax)
    return place_labels(ax, list(labels), [*obstacles, *artist_boxes(ax, fixed)])
