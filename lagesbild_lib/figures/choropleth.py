"""Choropleth of a survey share by area (chapter 3, Kartbild "Otrygghet kvällstid").

Shares are put in classes with round percent bounds (:func:`share_classes`), coloured with a
ColorBrewer sequential scheme that is safe for colour-blind readers (YlOrRd), and labelled in
Swedish (:func:`class_labels`). Areas whose share rests on fewer than 30 respondents are hatched;
areas without a share are grey. Functions return matplotlib Figures and never read files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lagesbild_lib.present.fmt import fmt_share
from lagesbild_lib.figures.basemap import Ground
from lagesbild_lib.figures.maps import OUTLINE, draw_polygon, finish_panels, map_panels
from lagesbild_lib.present.text import join_sv

#: ColorBrewer YlOrRd, by number of classes (colour-blind safe, prints in grey scale).
YLORRD = {
    1: ("#fd8d3c",),
    2: ("#fecc5c", "#e31a1c"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
}
NO_DATA = "#d9d9d9"
FILL_ALPHA = 0.8  # the base map shows through the fills; legend patches use the same alpha
HATCH = "////"
STEPS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.50)


def share_classes(shares, max_classes: int = 5) -> list[float]:
    """Class bounds for shares: round steps (5, 10, 15, 20, 25 or 50 percentage points) covering them.

    The smallest step that needs at most ``max_classes`` classes is used, so that classes are
    fine but few; bounds are whole percents and therefore comparable between reports.

    Parameters
    ----------
    shares
        The shares (0–1) to classify; NaN is ignored.
    max_classes
        Most classes wanted (at most 6, the longest colour scheme).

    Returns
    -------
    list of float
        Ascending bounds ``[b0, b1, ..., bk]`` with ``b0 <= min(shares)`` and ``bk > max(shares)``
        (k classes, each ``[b_i, b_{i+1})``); ``[]`` when there is no share.

    Raises
    ------
    ValueError
        If ``max_classes`` is not between 1 and 6.
    """
    if not 1 <= max_classes <= max(YLORRD):
        raise ValueError(f"max_classes must be between 1 and {max(YLORRD)}, got {max_classes!r}.")
    values = [float(s) for s in shares if s is not None and not math.isnan(s)]
    if not values:
        return []
    lo, hi = min(values), max(values)
    for step in STEPS:
        first = min(math.floor(round(lo / step, 9)), math.ceil(round(1 / step, 9)) - 1)
        # A share of exactly 1 belongs to the last class; no bound goes past 100 %.
        last = min(math.floor(round(hi / step, 9)) + 1, math.ceil(round(1 / step, 9)))
        last = max(last, first + 1)
        if last - first <= max_classes or step == STEPS[-1]:
            return [min(round(k * step, 4), 1.0) for k in range(first, last + 1)]
    raise AssertionError("unreachable")  # the last step always returns


def classify(share: float, bounds: list[float]) -> int | None:
    """Index of the class ``[b_i, b_{i+1})`` holding ``share``; None when it is missing."""
    if share is None or math.isnan(share):
        return None
    for i in range(len(bounds) - 1):
        if share < bounds[i + 1]:
            return i
    return len(bounds) - 2


def class_labels(bounds: list[float]) -> list[str]:
    """Swedish legend labels: ``"under 30 %"``, ``"30–40 %"``, ``"40 % och mer"``.

    A single class reads ``"20–30 %"``. The lowest class starts at ``b0`` and is written "under
    b1" only when ``b0`` is 0; likewise the last class is "b % och mer" only when it reaches 100 %.
    Middle classes are ``[b_i, b_{i+1})``: a share exactly on a bound belongs to the higher class.
    """
    def pct(b: float) -> str:
        return f"{round(100 * b):d}"

    labels = []
    k = len(bounds) - 1
    for i in range(k):
        a, b = bounds[i], bounds[i + 1]
        if i == 0 and a <= 0 and k > 1:
            labels.append(f"under {pct(b)}\u00a0%")
        elif i == k - 1 and b >= 1 and k > 1:
            labels.append(f"{pct(a)}\u00a0% och mer")
        else:
            labels.append(f"{pct(a)}\u2013{pct(b)}\u00a0%")
    return labels


@dataclass(frozen=True)
class ClassScheme:
    """The class bounds and colours of one variable, shared by every map of a report that shows it
    (Kartbild 1's unsafety layer and the evening-unsafety choropleth use the same one)."""

    bounds: tuple[float, ...]

    @property
    def colours(self) -> tuple[str, ...]:
        return YLORRD[max(1, len(self.bounds) - 1)] if self.bounds else ()

    @property
    def labels(self) -> list[str]:
        return class_labels(list(self.bounds))

    def colour(self, share: float | None) -> str | None:
        """The fill of a share, or None when it is missing."""
        cls = classify(share, list(self.bounds)) if self.bounds and share is not None else None
        return None if cls is None else self.colours[cls]

    def handles(self) -> list[Patch]:
        """Legend entries, one per class, drawn as on the map."""
        return [Patch(facecolor=c, edgecolor=OUTLINE, alpha=FILL_ALPHA, label=text) for c, text in zip(self.colours, self.labels)]


def share_scheme(*share_sets) -> ClassScheme:
    """One scheme over all the shares the report's maps of a variable show (:func:`share_classes`)."""
    values = [float(v) for shares in share_sets for v in shares if v is not None and not math.isnan(float(v))]
    return ClassScheme(tuple(share_classes(values)))


def plot_choropleth(
    outlines_sweref: dict[str, object], values: pd.DataFrame, title: str, legend_title: str,
    highlight: str | None = None, size=(7.5, 6.0), *, scheme: ClassScheme | None = None, ground: Ground | None = None,
) -> Figure:
    """Draw areas filled by the class of their share, hatched when the share rests on few respondents.

    Parameters
    ----------
    outlines_sweref
        Geometry per area id in SWEREF 99 TM (see :mod:`lagesbild_lib.figures.maps`); every one is drawn.
    values
        Columns area_id, name, share (0–1, NaN when missing), small (fewer than 30 respondents).
    title, legend_title
        Map title and legend heading (Swedish).
    highlight
        An area id whose outline is drawn thick (the report area among its neighbours).
    scheme
        The report's classes and colours for this variable (default: from ``values`` alone).
    ground
        The base map drawn under the areas (the fills let it show through).

    Returns
    -------
    Figure
    """
    scheme = scheme or share_scheme(values["share"])
    by_id = values.set_index("area_id")
    fig, axes, zoom = map_panels(outlines_sweref, ground=ground, size=size, outline=False)
    ax = axes[0]
    any_missing = any_small = False
    texts = {}
    for area, geom in outlines_sweref.items():
        share = float(by_id.at[area, "share"]) if area in by_id.index else math.nan
        colour = scheme.colour(share)
        small = bool(by_id.at[area, "small"]) if area in by_id.index and colour is not None else False
        any_missing |= colour is None
        any_small |= small
        for target in axes:
            draw_polygon(target, geom, autoscale=False, facecolor=NO_DATA if colour is None else colour, alpha=FILL_ALPHA, edgecolor="none",
                         zorder=0.5)
            if small:  # the hatch opaque over the translucent fill (hatches take the edge colour)
                draw_polygon(target, geom, autoscale=False, facecolor="none", edgecolor=OUTLINE, linewidth=0, hatch=HATCH, zorder=0.6)
            draw_polygon(target, geom, autoscale=False, facecolor="none", edgecolor=OUTLINE, linewidth=0.7, zorder=3)
        name = by_id.at[area, "name"] if area in by_id.index else area
        texts[area] = f"{name}\n{fmt_share(share)}{' *' if small else ''}" if colour is not None else f"{name}\nuppgift saknas"
    if highlight and highlight in outlines_sweref:
        for target in axes:
            draw_polygon(target, outlines_sweref[highlight], autoscale=False, facecolor="none", edgecolor="#000000", linewidth=2.2, zorder=4)
    handles = scheme.handles()
    if any_small:
        handles.append(Patch(facecolor="white", edgecolor=OUTLINE, hatch=HATCH, label="färre än 30 svarande (osäker)"))
    if any_missing:
        handles.append(Patch(facecolor=NO_DATA, edgecolor=OUTLINE, alpha=FILL_ALPHA, label="uppgift saknas"))
    axes[-1].legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                    title_fontsize=8.5, frameon=False)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    finish_panels(axes, zoom, outlines_sweref, texts, 6.5 if len(outlines_sweref) <= 14 else 5.5)
    return fig


def choropleth_alt(values: pd.DataFrame, what: str, highlight_name: str | None = None, scheme: ClassScheme | None = None) -> str:
    """Alt text: the areas in the highest and the lowest class (of ``scheme``, the map's), and how many are uncertain."""
    known = values.dropna(subset=["share"])
    if known.empty:
        return f"Karta över {what}: uppgift saknas för alla områden."
    bounds = list(scheme.bounds) if scheme is not None and scheme.bounds else share_classes(known["share"])
    labels = class_labels(bounds)
    classes = [classify(s, bounds) for s in known["share"]]
    # the highest and lowest class that holds one of this map's areas (the report's scheme may have more)
    high, low_cls = max(classes), min(classes)
    top = [n for n, c in zip(known["name"], classes) if c == high]
    low = [n for n, c in zip(known["name"], classes) if c == low_cls]
    text = f"Karta över {what}."
    if high != low_cls:
        text += f" Högsta klassen ({labels[high]}): {join_sv(top)}. Lägsta klassen ({labels[low_cls]}): {join_sv(low)}."
    else:
        text += f" Alla områden ligger i samma klass ({labels[high]})."
    if highlight_name:
        own = known[known["name"] == highlight_name]
        if len(own):
            text += f" {highlight_name}: {fmt_share(own['share'].iloc[0])}."
    small = list(known.loc[known["small"].astype(bool), "name"])
    if small:
        text += f" Färre än 30 svarande (streckade): {join_sv(small)}."
    return text
