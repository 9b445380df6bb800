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

from dataclasses import dataclass

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
SCHEMATIC_NOTE = "Schematisk karta: delområdenas gränser i demodata är påhittade och följer inte verkliga områdesgränser."
PAD = 0.04  # margin around the outlines, as a share of the larger side

__all__ = ["OUTLINE", "SCHEMATIC_NOTE", "ZOOM_TITLE", "MapLabel", "Zoom", "area_labels", "area_outlines", "draw_polygon", "finish_map",
           "finish_panels", "label_size", "map_figure", "map_panels", "outline_origin", "zoom_of", "zoom_panel"]


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


#: An area smaller than this share of the map's frame cannot hold its name; when three or more are
#: (a town inside a large rural kommun), the map gets a second panel that enlarges them.
ZOOM_SHARE = 1 / 300
ZOOM_TITLE = "Förstoring av den streckade rutan"


@dataclass(frozen=True)
class Zoom:
    """The part of a map to enlarge (SWEREF 99 TM bounds) and the small areas it is for."""

    bounds: tuple[float, float, float, float]
    areas: frozenset[str]

    def holds(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1

    def visible_parts(self, outlines_sweref: dict[str, object], share: float = 0.03) -> dict[str, object]:
        """The larger areas that fill at least ``share`` of the enlarged box: their part inside it, so
        that the panel names them too (each small area is named in the panel only)."""
        import shapely

        box = shapely.box(*self.bounds)
        parts = {a: g.intersection(box) for a, g in outlines_sweref.items() if a not in self.areas}
        return {a: g for a, g in parts.items() if not g.is_empty and g.area >= share * box.area}


def zoom_of(outlines_sweref: dict[str, object]) -> Zoom | None:
    """The enlargement a map needs: the padded bounds of its areas smaller than :data:`ZOOM_SHARE`
    of the frame, or None when fewer than three are (every area of a city district fits)."""
    bounds = finite_bounds(list(outlines_sweref.values()))
    if bounds is None:
        return None
    minx, miny, maxx, maxy = bounds
    frame = max(maxx - minx, 1.0) * max(maxy - miny, 1.0)
    small = {a for a, g in outlines_sweref.items() if not g.is_empty and g.area < ZOOM_SHARE * frame}
    if len(small) < 3:
        return None
    x0, y0, x1, y1 = finite_bounds([outlines_sweref[a] for a in small])
    pad = 0.15 * max(x1 - x0, y1 - y0, 1.0)
    return Zoom((x0 - pad, y0 - pad, x1 + pad, y1 + pad), frozenset(small))


def zoom_panel(fig, ax, outlines_sweref: dict[str, object], zoom: Zoom, ground: Ground | None = None, outline: bool = True):
    """A second panel right of ``ax`` that enlarges ``zoom``: the same base map (and outlines), and a
    dashed box on ``ax`` (and round the panel) that shows where it is. Returns the panel's Axes;
    the map draws its own layers on both and finishes both (:func:`finish_panels`)."""
    from matplotlib.patches import Rectangle

    grid = fig.add_gridspec(1, 2, wspace=0.12)
    ax.set_subplotspec(grid[0])
    panel = fig.add_subplot(grid[1])
    draw_ground(panel, ground)
    for geom in outlines_sweref.values() if outline else ():
        draw_polygon(panel, geom, autoscale=False, facecolor="none", edgecolor=OUTLINE, linewidth=0.8, zorder=3)
    x0, y0, x1, y1 = zoom.bounds
    panel.set_xlim(x0, x1)
    panel.set_ylim(y0, y1)
    panel.set_aspect("equal")
    panel.set_axis_off()
    for target in (ax, panel):
        target.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#000000", linestyle="--", linewidth=1.0,
                                   zorder=5, clip_on=False))
    panel.set_title(ZOOM_TITLE, fontsize=9)
    return panel


def map_panels(outlines_sweref: dict[str, object], *, ground: Ground | None = None, size=(7.5, 6.0), outline: bool = True,
               wide: float = 1.55) -> tuple[Figure, list, Zoom | None]:
    """:func:`map_figure`, and beside it a panel that enlarges the small areas when the map has them
    (:func:`zoom_of`; the figure is then ``wide`` times as wide). Returns the figure, its map axes
    (one or two: draw the map's layers on each) and the enlargement or None."""
    zoom = zoom_of(outlines_sweref)
    if zoom is not None:
        size = (size[0] * wide, size[1])
    fig, ax = map_figure(outlines_sweref, ground=ground, size=size, outline=outline)
    axes = [ax] if zoom is None else [ax, zoom_panel(fig, ax, outlines_sweref, zoom, ground, outline)]
    return fig, axes, zoom


def finish_panels(axes: list, zoom: Zoom | None, outlines_sweref: dict[str, object], texts: dict[str, str], fontsize: float | None = None,
                  extra: tuple[list, list] = ([], []), obstacles: tuple[list, list] = ([], [])) -> None:
    """:func:`finish_map` on each of :func:`map_panels`' axes: an area's name on the map, or in the
    panel when the panel enlarges it (the panel also names the larger areas it shows a part of);
    ``extra`` labels and ``obstacles`` per axes."""
    size = fontsize or label_size(len(outlines_sweref))
    labels = area_labels(outlines_sweref, texts, size)
    if zoom is None:
        finish_map(axes[0], [*extra[0], *labels], obstacles=obstacles[0])
        return
    finish_map(axes[0], [*extra[0], *(lab for a, lab in zip(outlines_sweref, labels) if a not in zoom.areas)], obstacles=obstacles[0])
    in_panel = [lab for a, lab in zip(outlines_sweref, labels) if a in zoom.areas]
    finish_map(axes[1], [*extra[1], *in_panel, *area_labels(zoom.visible_parts(outlines_sweref), texts, size)], obstacles=obstacles[1])


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
