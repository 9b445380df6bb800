"""The ground under every map: the base map layer (water, roads, railway, built-up areas), a scale
bar and a north arrow.

The base map comes from the optional contract layer ``basemap.geojson`` (property ``layer``: one
of :data:`GROUND_KINDS`; ``lagesbild import basemap`` writes it from the analyst's own open data).
:func:`ground_from_layer` reprojects the part a map needs to SWEREF 99 TM; :func:`draw_ground`
draws it quietly (light greys and blues) beneath the data. No tiles and no network: the report
stays one offline file. Nothing here reads files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lagesbild_lib.data.schema import BASEMAP_LAYERS

#: The base map's kinds, in drawing order (lowest first).
GROUND_KINDS = ("bebyggelse", "vatten", "väg", "järnväg")
assert set(GROUND_KINDS) == set(BASEMAP_LAYERS), "the drawing order must name every contract kind"
#: How each kind reads in a sentence ("vatten, större vägar och järnväg").
GROUND_WORDS = {"bebyggelse": "bebyggelse", "vatten": "vatten", "väg": "större vägar", "järnväg": "spårtrafik"}
GROUND_STYLES = {
    "bebyggelse": {"facecolor": "#ececec", "edgecolor": "none", "zorder": 0.10},
    "vatten": {"facecolor": "#d6e8f3", "edgecolor": "#b5d3e7", "linewidth": 0.4, "zorder": 0.12},
    "väg": {"color": "#c4c4c4", "linewidth": 1.3, "zorder": 0.14, "capstyle": "round"},
    "järnväg": {"color": "#9a9a9a", "linewidth": 0.8, "linestyle": (0, (3, 2)), "zorder": 0.16},
}
WATER_LINE = {"color": "#b5d3e7", "linewidth": 0.9, "zorder": 0.12}
GROUND_GID = "lb-ground"
SCALE_GID = "lb-scale"
NORTH_GID = "lb-north"
#: Scale bar lengths to choose from, in metres.
SCALE_LENGTHS = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000)


@dataclass(frozen=True)
class Ground:
    """The base map of one map, in SWEREF 99 TM: (kind, geometry) pairs and the sources to credit."""

    features: tuple[tuple[str, object], ...]
    sources: tuple[str, ...] = ()

    @property
    def kinds(self) -> list[str]:
        present = {kind for kind, _ in self.features}
        return [k for k in GROUND_KINDS if k in present]


def ground_from_layer(layer, around, pad_m: float = 1500.0) -> Ground | None:
    """The part of a base map layer (WGS84 :class:`~lagesbild_lib.data.geo.GeoLayer`) around a map.

    Parameters
    ----------
    layer
        The ``basemap`` layer, or None when the data folder has none.
    around
        The map's geometries in SWEREF 99 TM (a dict's values or a list); the ground is clipped to
        their bounding box widened by ``pad_m`` metres.

    Returns
    -------
    Ground or None
        None when there is no layer or nothing of it lies around the map.
    """
    if layer is None:
        return None
    import shapely
    from shapely.geometry import box

    from lagesbild_lib.data.crs import SWEREF99TM, WGS84, reproject, to_sweref

    geoms = list(around.values()) if isinstance(around, dict) else list(around)
    if not geoms:
        return None
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    frame = box(minx - pad_m, miny - pad_m, maxx + pad_m, maxy + pad_m)
    frame_wgs = reproject(frame, SWEREF99TM, WGS84).envelope
    out, sources = [], []
    for props, geom in layer.features:
        if not geom.intersects(frame_wgs):
            continue
        part = shapely.clip_by_rect(to_sweref(geom), *frame.bounds)
        if part.is_empty:
            continue
        out.append((str(props["layer"]), part))
        source = str(props.get("source") or "").strip()
        if source and source not in sources:
            sources.append(source)
    if not out:
        return None
    order = {k: i for i, k in enumerate(GROUND_KINDS)}
    out.sort(key=lambda kv: order[kv[0]])
    return Ground(tuple(out), tuple(sources))


def ground_note(ground: Ground | None) -> str:
    """The method note's sentence on the base map ("" without one)."""
    if ground is None:
        return ""
    kinds = [GROUND_WORDS[k] for k in ground.kinds]
    words = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} och {kinds[-1]}"
    text = f"Bakgrundskartan ({words}) visar var området ligger; den är inte en del av uppgifterna."
    if ground.sources:
        text += f" Bakgrundskarta: {'; '.join(ground.sources)}."
    return text


def draw_ground(ax, ground: Ground | None) -> None:
    """Draw the base map beneath everything else (zorder below the data's)."""
    if ground is None:
        return
    from matplotlib.collections import LineCollection

    for kind in ground.kinds:
        style = GROUND_STYLES[kind]
        lines = []
        for k, geom in ground.features:
            if k != kind:
                continue
            for part in getattr(geom, "geoms", [geom]):
                if part.geom_type == "Polygon":
                    draw_polygon(ax, part, gid=GROUND_GID, autoscale=False, **style)
                elif part.geom_type == "LineString":
                    lines.append(list(part.coords))
                elif part.geom_type in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
                    for sub in part.geoms:
                        if sub.geom_type == "Polygon":
                            draw_polygon(ax, sub, gid=GROUND_GID, autoscale=False, **style)
                        elif sub.geom_type == "LineString":
                            lines.append(list(sub.coords))
        if lines:
            line_style = WATER_LINE if kind == "vatten" else {k: v for k, v in style.items() if k != "capstyle"}
            collection = LineCollection(lines, **line_style)
            if "capstyle" in style:
                collection.set_capstyle(style["capstyle"])
            collection.set_gid(GROUND_GID)
            ax.add_collection(collection, autolim=False)


def draw_polygon(ax, geom, *, autoscale: bool = True, **style) -> None:
    """Draw a Polygon or MultiPolygon (with holes) on matplotlib axes."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        if poly.is_empty:
            continue
        vertices, codes = [], []
        for ring in [poly.exterior, *poly.interiors]:
            coords = list(ring.coords)
            vertices.extend(coords)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY])
        ax.add_patch(PathPatch(MplPath(vertices, codes), **style))
    if autoscale:
        ax.autoscale_view()


def scale_length(width_m: float, share: float = 0.22) -> int:
    """The longest round scale bar length not over ``share`` of the map's width."""
    target = width_m * share
    fitting = [length for length in SCALE_LENGTHS if length <= target]
    return fitting[-1] if fitting else SCALE_LENGTHS[0]


def length_text(metres: float) -> str:
    """"500 m", "1 km", "2,5 km" (decimal comma)."""
    if metres < 1000:
        return f"{int(metres)}\u00a0m"
    km = metres / 1000
    return f"{int(km)}\u00a0km" if km == int(km) else f"{km:.1f}".replace(".", ",") + "\u00a0km"


def add_scale_bar(ax) -> list:
    """A scale bar in the lower left corner (metres: the map is in SWEREF 99 TM); returns its artists."""
    from matplotlib.patches import Rectangle

    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    width, height = xmax - xmin, ymax - ymin
    length = scale_length(width)
    x0, y0 = xmin + 0.03 * width, ymin + 0.03 * height
    bar_h = 0.012 * height
    half = length / 2
    artists = [
        Rectangle((x0, y0), half, bar_h, facecolor="#222222", edgecolor="#222222", linewidth=0.6, zorder=5, gid=SCALE_GID),
        Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor="#222222", linewidth=0.6, zorder=5, gid=SCALE_GID),
    ]
    for patch in artists:
        ax.add_patch(patch)
    artists.append(ax.text(x0 + length / 2, y0 + bar_h * 1.6, length_text(length), ha="center", va="bottom", fontsize=7,
                           zorder=5, gid=SCALE_GID, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7}))
    return artists


def add_north_arrow(ax) -> list:
    """A north arrow in the upper right corner (grid north of SWEREF 99 TM); returns its artists."""
    arrow = ax.annotate(
        "N", xy=(0.965, 0.975), xytext=(0.965, 0.865), xycoords="axes fraction", textcoords="axes fraction",
        ha="center", va="center", fontsize=9, fontweight="bold", zorder=5, gid=NORTH_GID,
        arrowprops={"arrowstyle": "-|>,head_width=0.3,head_length=0.6", "color": "#222222", "linewidth": 1.2, "shrinkA": 6, "shrinkB": 0},
    )
    return [arrow]


def finite_bounds(geoms) -> tuple[float, float, float, float] | None:
    """The bounding box of geometries, or None when there are none."""
    import shapely

    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return None
    bounds = shapely.union_all(geoms).bounds
    return bounds if all(math.isfinite(b) for b in bounds) else None
