"""Kartbild "Lokalpolisområdet": the member areas of the report area's police area, the report's own
member highlighted, and the police area's outer boundary (issue 16, the real lägesbild's Kartbild 2).

Each member is drawn with its outline from ``areas.geojson`` (its own feature, else the union of its
leaves') and its name; the member the report's area belongs to is filled in blue, the others in
light grey, so the highlight reads in the legend and the label as well as in colour. The police
area's boundary is the union of the drawn members, a thick black line. A member without an outline
is not drawn and is named in the note under the map (never dropped silently).

The alt text states what the map shows with the numbers of the section's table (members,
inhabitants, reported crimes per 1 000 inhabitants), taken from the same
:class:`~lagesbild_lib.analysis.police_area.PoliceAreaFigures`. Geometries are passed in SWEREF 99
TM; functions return matplotlib Figures and never read files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.police_area import ALL, PER, PoliceAreaFigures
from lagesbild_lib.figures.basemap import Ground
from lagesbild_lib.figures.maps import OUTLINE, area_labels, draw_polygon, finish_map, map_figure
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_period
from lagesbild_lib.present.text import join_sv, number_word

OWN_FILL = "#0072B2"
OTHER_FILL = "#bdbdbd"
FILL_ALPHA = 0.35
BOUNDARY = "#000000"
BOUNDARY_GID = "lb-police-area-boundary"
OWN_GID = "lb-police-area-own"
MEMBER_GID = "lb-police-area-member"
#: What the data panel says of each member.
ON_MAP_OWN, ON_MAP_OTHER, ON_MAP_MISSING = "rapportens område", "i lokalpolisområdet", "saknar gräns i kartunderlaget"


@dataclass(frozen=True)
class PoliceAreaLayers:
    """What the map draws, in SWEREF 99 TM.

    Attributes
    ----------
    members
        Every member's id in table order.
    names
        Member id → name.
    outlines
        Member id → geometry, for the members with an outline.
    own
        The member the report's area belongs to.
    ground
        The base map, or None.
    """

    members: tuple[str, ...]
    names: dict[str, str]
    outlines: dict[str, object]
    own: str
    ground: Ground | None = None

    @property
    def missing(self) -> list[str]:
        """The members without an outline, in table order."""
        return [m for m in self.members if m not in self.outlines]

    @property
    def boundary(self):
        """The police area's outer boundary: the union of the drawn members (None without any)."""
        import shapely

        return shapely.union_all(list(self.outlines.values())) if self.outlines else None


def plot_police_area_map(layers: PoliceAreaLayers, title: str, *, size=(7.5, 6.4)):
    """Draw the police area's members, the report's own member highlighted, and the outer boundary.

    Parameters
    ----------
    layers
        The members and their outlines (see :class:`PoliceAreaLayers`).
    title
        The map title ("Lokalpolisområde Vällingby").

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, ax = map_figure(layers.outlines, ground=layers.ground, size=size, outline=False)
    for area, geom in layers.outlines.items():
        own = area == layers.own
        draw_polygon(ax, geom, autoscale=False, facecolor=OWN_FILL if own else OTHER_FILL, alpha=FILL_ALPHA, edgecolor="none",
                     zorder=0.5, gid=OWN_GID if own else MEMBER_GID)
        draw_polygon(ax, geom, autoscale=False, facecolor="none", edgecolor=OUTLINE, linewidth=0.9, zorder=3)
    boundary = layers.boundary
    if boundary is not None:
        draw_polygon(ax, boundary, autoscale=False, facecolor="none", edgecolor=BOUNDARY, linewidth=2.4, zorder=3.5, gid=BOUNDARY_GID)
    handles = [Patch(facecolor=OWN_FILL, alpha=FILL_ALPHA, edgecolor=OUTLINE, label=f"Rapportens område: {layers.names[layers.own]}")]
    if any(a != layers.own for a in layers.outlines):
        handles.append(Patch(facecolor=OTHER_FILL, alpha=FILL_ALPHA, edgecolor=OUTLINE, label="Övriga områden i lokalpolisområdet"))
    handles.append(Line2D([], [], color=BOUNDARY, linewidth=2.4, label="Lokalpolisområdets gräns"))
    ax.set_title(title, fontsize=11)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, frameon=False, fontsize=8)
    finish_map(ax, area_labels(layers.outlines, {a: layers.names[a] for a in layers.outlines}, 8))
    return fig


def _people_and_rate(population: int | None, count: int | None, rate: float | None, small: int) -> str:
    """"79 388 (64,1)": inhabitants and crimes per 1 000, a dash for what is missing or masked."""
    people = fmt_int(population) if population is not None else "–"
    shown = "–" if rate is None or count is None or disclosure.is_masked(count, small) else fmt_num(rate, 1)
    return f"{people} ({shown})"


def police_area_alt(layers: PoliceAreaLayers, figures: PoliceAreaFigures, small: int = 0) -> str:
    """Alt text: the police area's members, the report's own highlighted, their inhabitants and
    reported crimes per 1 000 inhabitants (the section table's numbers), and the members the map
    cannot draw.

    Returns
    -------
    str
        E.g. "Karta över lokalpolisområde Vällingby med tre områden: Hässelby-Vällingby, Bromma och
        Ekerö; Hässelby-Vällingby är rapportens område och är markerat. Invånare 2023 och anmälda
        brott per 1 000 invånare 1 jan–31 okt 2023: Hässelby-Vällingby 79 388 (64,1), … ; hela
        lokalpolisområdet 188 388 (55,0)."
    """
    title = figures.area.title
    title = title[:1].lower() + title[1:]
    names = [layers.names[m] for m in layers.members]
    n = len(names)
    parts = [f"Karta över {title} med {number_word(n, 'ett')} {'område' if n == 1 else 'områden'}: {join_sv(names)}; "
             f"{layers.names[layers.own]} är rapportens område och är markerat."]
    year = f" {figures.population_year}" if figures.population_year else ""
    members = [f"{layers.names[m.area_id]} {_people_and_rate(m.population, None if m.counts is None else m.counts[ALL], m.rate(ALL), small)}"
               for m in figures.members]
    whole = _people_and_rate(figures.population, figures.total(ALL), figures.rate(ALL), small)
    parts.append(f"Invånare{year} och anmälda brott per {fmt_int(PER)} invånare {fmt_period(figures.start, figures.end)}: "
                 f"{join_sv(members)}; hela lokalpolisområdet {whole}.")
    if layers.missing:
        parts.append(f"{join_sv(layers.names[m] for m in layers.missing)} saknar gräns i kartunderlaget och visas inte på kartan.")
    return " ".join(parts)


def police_area_map_data(layers: PoliceAreaLayers, kinds: dict[str, str]) -> pd.DataFrame:
    """The numbers behind the map, one row per member: its kind, how the map shows it and its area
    in km² (of the drawn outline; missing when it has none). Inhabitants and crimes are the
    section's table's and are not repeated here.

    Parameters
    ----------
    layers
        The map's layers.
    kinds
        Member id → its kind as the table calls it ("stadsdelsområde", "kommun").
    """
    rows = []
    for m in layers.members:
        geom = layers.outlines.get(m)
        on_map = ON_MAP_MISSING if geom is None else ON_MAP_OWN if m == layers.own else ON_MAP_OTHER
        rows.append({"Område": layers.names[m], "Typ": kinds[m], "På kartan": on_map,
                     "Yta, km²": None if geom is None else round(geom.area / 1e6, 1)})
    return pd.DataFrame(rows)
