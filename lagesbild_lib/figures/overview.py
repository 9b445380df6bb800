"""Kartbild "Översikt": the area's sub-areas, the police's vulnerable areas, places and unsafety.

Layers, each optional (the chapter says which are missing):

- sub-area outlines with their names (``areas.geojson``);
- the base map (``basemap.geojson``) under everything, when the data folder has one;
- a choropleth of the share answering ``ja`` to the survey question (evening unsafety), when the
  survey has it, in the report's classes and colours for it (the evening-unsafety map's,
  :class:`~lagesbild_lib.figures.choropleth.ClassScheme`);
- the police's vulnerable-area polygons (``vulnerable_areas.geojson``), outlined by category with
  colour *and* line style;
- ``places`` as numbered markers, one marker shape per type.

Geometries are passed in SWEREF 99 TM (:func:`lagesbild_lib.data.crs.to_sweref`); functions return
matplotlib Figures and never read files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lagesbild_lib.data import known_values
from lagesbild_lib.present.fmt import fmt_int, fmt_share
from lagesbild_lib.figures.basemap import Ground
from lagesbild_lib.figures.choropleth import FILL_ALPHA, ClassScheme, share_scheme
from lagesbild_lib.figures.labels import MapLabel, marker_boxes
from lagesbild_lib.figures.maps import OUTLINE, draw_polygon, finish_panels, map_panels
from lagesbild_lib.present.text import join_sv, number_word

#: Outline style per police category (colour and line style, so that it reads without colour).
VULNERABLE_STYLES: dict[str, dict] = {
    "Särskilt utsatt område": {"edgecolor": "#D55E00", "linestyle": "-", "linewidth": 2.6},
    "Utsatt område": {"edgecolor": "#E69F00", "linestyle": "--", "linewidth": 2.2},
    "Riskområde": {"edgecolor": "#CC79A7", "linestyle": ":", "linewidth": 2.4},
}
OTHER_VULNERABLE_STYLE = {"edgecolor": "#000000", "linestyle": "-.", "linewidth": 2.0}
#: Order of the categories in legends and sentences (most serious first).
CATEGORY_ORDER = ("Särskilt utsatt område", "Riskområde", "Utsatt område")

#: Marker per place type (shape, fill, edge); other types take the next free style.
PLACE_STYLES: dict[str, tuple[str, str, str]] = {
    "öppen drogscen": ("X", "#000000", "#ffffff"),
    "prioriterad plats": ("o", "#ffffff", "#000000"),
    "olovlig bosättning": ("^", "#009E73", "#000000"),
    "samlingsplats för unga": ("s", "#56B4E9", "#000000"),
}
EXTRA_PLACE_STYLES = (("D", "#F0E442", "#000000"), ("P", "#CC79A7", "#000000"), ("v", "#0072B2", "#ffffff"))

#: Definite form after "polisens" ("polisens särskilt utsatta område Husby").
CATEGORY_DEFINITE = {"Särskilt utsatt område": "särskilt utsatta område", "Utsatt område": "utsatta område", "Riskområde": "riskområde"}

CATEGORY_DEFINITE_PLURAL = {"Särskilt utsatt område": "särskilt utsatta områden", "Utsatt område": "utsatta områden", "Riskområde": "riskområden"}

#: Plural of the place types the report knows (for sentences; declared with the data contract's
#: known values); others are shown as given.
PLACE_PLURALS = known_values.PLACE_PLURALS

NO_DATA_HATCH = "////"
MARKER_AREA = 70  # the place markers' size (points²)


@dataclass(frozen=True)
class OverviewLayers:
    """What the overview map draws, already in SWEREF 99 TM.

    Attributes
    ----------
    outlines
        Sub-area id → geometry.
    names
        Sub-area id → name.
    vulnerable
        (name, category, geometry) of the police's areas that touch the area.
    places
        Columns nr, name, type, x, y (only places with coordinates).
    shares
        Sub-area id → share (0–1) for the choropleth, or None when there is no survey layer.
    share_label
        What the share is, in a sentence ("Andelen otrygga ute ensamma sent på kvällen").
    share_short
        The class legend's title ("Otrygga ute ensamma kvällstid 2023").
    scheme
        The report's classes and colours of the share (the evening-unsafety map's); by default
        made from ``shares`` alone.
    ground
        The base map under everything, or None.
    """

    outlines: dict[str, object]
    names: dict[str, str]
    vulnerable: list[tuple[str, str, object]] = field(default_factory=list)
    places: pd.DataFrame | None = None
    shares: dict[str, float] | None = None
    share_label: str = ""
    share_short: str = "Andel"
    scheme: ClassScheme | None = None
    ground: Ground | None = None


def place_styles(types: list[str]) -> dict[str, tuple[str, str, str]]:
    """Marker (shape, fill, edge) for each place type: known types fixed, others in turn."""
    out, extra = {}, iter(EXTRA_PLACE_STYLES * 4)
    for kind in types:
        out[kind] = PLACE_STYLES.get(kind) or next(extra)
    return out


def vulnerable_style(category: str) -> dict:
    return VULNERABLE_STYLES.get(category, OTHER_VULNERABLE_STYLE)


def _category_key(category: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER), category)


def vulnerable_within(features, area_geom, min_share: float = 0.02) -> list[tuple[str, str, object]]:
    """The vulnerable-area features that overlap the area (SWEREF geometries).

    Parameters
    ----------
    features
        (properties, geometry) pairs in SWEREF 99 TM.
    area_geom
        The report area's outline in SWEREF 99 TM.
    min_share
        Ignore a polygon whose overlap is below this share of its own area (a sliver along a
        border drawn in another boundary version).

    Returns
    -------
    list of (name, category, geometry), most serious category first, then by name.
    """
    out = []
    for props, geom in features:
        if not geom.intersects(area_geom):
            continue
        if geom.area > 0 and geom.intersection(area_geom).area / geom.area < min_share:
            continue
        out.append((str(props.get("name", "")), str(props.get("category", "")), geom))
    return sorted(out, key=lambda item: (_category_key(item[1]), item[0]))


def plot_overview(layers: OverviewLayers, title: str, *, size=None):
    """Draw the overview map.

    Parameters
    ----------
    layers
        The layers to draw (see :class:`OverviewLayers`).
    title
        The map title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    crowded = len(layers.outlines) > 12
    if size is None:
        # Many sub-areas (Bromma has 25) need more room and smaller names to stay legible (a town in
        # a large kommun gets a second panel that enlarges its small areas: map_panels)
        size = (9.0, 8.6) if crowded else (7.5, 7.2)
    shares = layers.shares
    labels = dict(layers.names)
    if shares:
        labels = {a: f"{n}\n{fmt_share(shares[a])}" if a in shares else n for a, n in layers.names.items()}
    fig, axes, zoom = map_panels(layers.outlines, ground=layers.ground, size=size, wide=1.67)
    ax = axes[0]
    handles: list = [Line2D([], [], color=OUTLINE, linewidth=0.8, label="Delområdesgräns")]

    if shares is not None:
        scheme = layers.scheme or share_scheme(shares.values())
        missing = False
        for area, geom in layers.outlines.items():
            colour = scheme.colour(shares.get(area))
            missing = missing or colour is None
            for target in axes:
                if colour is not None:
                    draw_polygon(target, geom, autoscale=False, facecolor=colour, alpha=FILL_ALPHA, edgecolor="none", zorder=0.5)
                else:
                    draw_polygon(target, geom, autoscale=False, facecolor="#f2f2f2", edgecolor="#9a9a9a", hatch=NO_DATA_HATCH, linewidth=0,
                                 zorder=0.5)
        if shares:
            # a figure legend: the saved image's tight frame counts it (an extra axes legend would be cut off)
            fig.legend(handles=scheme.handles(), title=layers.share_short, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       bbox_transform=axes[-1].transAxes, fontsize=8, title_fontsize=8.5, frameon=False)
        if missing:
            handles.append(Patch(facecolor="#f2f2f2", edgecolor="#9a9a9a", hatch=NO_DATA_HATCH, label="Enkätuppgift saknas"))

    seen_categories = []
    for name, category, geom in layers.vulnerable:
        for target in axes:
            draw_polygon(target, geom, autoscale=False, facecolor="none", zorder=2, **vulnerable_style(category))
        if category not in seen_categories:
            seen_categories.append(category)
    for category in sorted(seen_categories, key=_category_key):
        style = vulnerable_style(category)
        handles.append(Line2D([], [], color=style["edgecolor"], linestyle=style["linestyle"], linewidth=style["linewidth"], label=f"Polisen: {category.lower()}"))

    places = layers.places
    numbers: list[list[MapLabel]] = [[] for _ in axes]  # a place's number in the panel that enlarges it, else on the map
    if places is not None and len(places):
        styles = place_styles(sorted(places["type"].unique()))
        for kind, part in places.groupby("type", sort=True):
            marker, face, edge = styles[kind]
            for target in axes:
                target.scatter(part["x"], part["y"], marker=marker, s=MARKER_AREA, c=face, edgecolors=edge, linewidths=1.0, zorder=4)
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=8, markerfacecolor=face, markeredgecolor=edge,
                                  label=f"{kind[:1].upper()}{kind[1:]} ({fmt_int(len(part))})"))
            for row in part.itertuples(index=False):
                panel = 1 if zoom is not None and zoom.holds(row.x, row.y) else 0
                numbers[panel].append(MapLabel(str(row.nr), row.x, row.y, fontsize=7, weight="bold", offset=(8, 6), priority=-1.0))

    ax.set_title(title, fontsize=11)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, frameon=False, fontsize=8)
    has_places = places is not None and len(places) > 0
    markers = [marker_boxes(t, places["x"], places["y"], MARKER_AREA ** 0.5 + 2) if has_places else [] for t in axes]
    finish_panels(axes, zoom, layers.outlines, labels, 6 if crowded else 7, extra=(numbers[0], numbers[-1]),
                  obstacles=(markers[0], markers[-1]))
    return fig


def _place_phrase(kind: str, n: int) -> str:
    """"tre prioriterade platser", "en öppen drogscen": numbers one to twelve in words (DESIGN §9).
    One place of a type the report does not know keeps its digit: the noun's gender is unknown."""
    if n == 1:
        return f"{'en' if kind in PLACE_PLURALS else '1'} {kind}"
    return f"{number_word(n)} {PLACE_PLURALS.get(kind, kind)}"


def overview_alt(layers: OverviewLayers, area_name: str) -> str:
    """Alt text of the overview map: what it shows and its main finding.

    Returns
    -------
    str
        E.g. "Karta över Hässelby-Vällingby med nio delområden. Polisens utsatta område
        Hässelby/Vällingby ligger i området. Kartan visar tre prioriterade platser och en öppen
        drogscen. Andelen otrygga … är högst i Vällingby (31 %) och lägst i Nälsta (12 %)."
    """
    n = len(layers.outlines)
    parts = [f"Karta över {area_name} med {number_word(n)} delområden." if n > 1 else f"Karta över {area_name}."]
    if layers.vulnerable:
        by_category: dict[str, list[str]] = {}
        for name, category, _ in layers.vulnerable:
            by_category.setdefault(category, []).append(name)
        named = [
            f"{(CATEGORY_DEFINITE if len(names) == 1 else CATEGORY_DEFINITE_PLURAL).get(category, category.lower())} {join_sv(names)}"
            for category, names in by_category.items()
        ]
        parts.append(f"Polisens {join_sv(named)} ligger helt eller delvis i området.")
    if layers.places is not None and len(layers.places):
        counts = layers.places["type"].value_counts()
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        parts.append(f"Kartan visar {join_sv(_place_phrase(k, int(v)) for k, v in ordered)}.")
    if layers.shares:
        top = max(layers.shares, key=lambda a: (layers.shares[a], a))
        low = min(layers.shares, key=lambda a: (layers.shares[a], a))
        if top == low:
            parts.append(f"{layers.share_label} är {fmt_share(layers.shares[top])} i {layers.names[top]}.")
        else:
            parts.append(
                f"{layers.share_label} är högst i {layers.names[top]} ({fmt_share(layers.shares[top])}) "
                f"och lägst i {layers.names[low]} ({fmt_share(layers.shares[low])})."
            )
    return " ".join(parts)


def area_places(places: pd.DataFrame, registry, area_id: str, row_ids: list[str]) -> pd.DataFrame:
    """The places in the area (its own or any area below), numbered for the map and the table.

    Parameters
    ----------
    places
        The ``places`` table.
    registry
        The area registry.
    area_id
        The report area.
    row_ids
        The sub-areas shown on the map; a place belongs to the one it lies in (by ``area_id``).

    Returns
    -------
    DataFrame
        Columns nr (1, 2, … for places with coordinates, sorted by sub-area and name; NA for the
        others), name, type, sub_area_id, sub_area, lon, lat.
    """
    owner = registry.owner_map(row_ids)
    inside = places[places["area_id"].isin(registry.descendants(area_id))].copy()
    inside["sub_area_id"] = inside["area_id"].map(owner).fillna(area_id)
    inside["sub_area"] = inside["sub_area_id"].map(registry.name)
    for col in ("lon", "lat"):
        if col not in inside.columns:
            inside[col] = float("nan")
    inside = inside.sort_values(["sub_area", "name"], key=lambda s: s.str.lower(), kind="stable").reset_index(drop=True)
    located = inside["lon"].notna() & inside["lat"].notna()
    inside["nr"] = pd.Series(pd.NA, index=inside.index, dtype="Int64")
    inside.loc[located, "nr"] = range(1, int(located.sum()) + 1)
    return inside[["nr", "name", "type", "sub_area_id", "sub_area", "lon", "lat"]]
