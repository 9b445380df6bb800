"""Charts and maps of the chapter "Mönster i tid och rum": the week as a weekday × hour heatmap,
the year as lines per year (årshjul), the Gi* hot spots over the kernel density, and the
persistence of hot spots over three years.

Maps are made the shared way (:func:`~lagesbild_lib.figures.maps.map_figure`, the map's own cells,
:func:`~lagesbild_lib.figures.maps.finish_map`); functions return matplotlib Figures and never
read files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lagesbild_lib.figures.basemap import Ground
from lagesbild_lib.figures.hotspot import Density, map_axes, plot_hotspots
from lagesbild_lib.figures.maps import finish_panels, map_panels

#: Okabe–Ito colours (colour-blind safe) of the persistence classes, in :data:`CLASSES` order.
CLASS_COLOURS = ("#D55E00", "#E69F00", "#56B4E9", "#999999")
HOT_EDGE = "#0072B2"


def plot_week_heatmap(week: pd.DataFrame, title: str, masked: np.ndarray | None = None) -> Figure:
    """Crimes per weekday (rows) and hour (columns) as a heatmap; ``masked`` cells (small counts
    under disclosure control) are drawn hatched grey, without their value."""
    fig = Figure(figsize=(8.6, 3.6))
    ax = fig.subplots()
    values = week.to_numpy(dtype=float)
    shown = np.where(masked, np.nan, values) if masked is not None else values
    image = ax.imshow(shown, aspect="auto", cmap="magma_r", vmin=0, vmax=max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 1.0, 1.0))
    if masked is not None and masked.any():
        rows, cols = np.nonzero(masked)
        for r, c in zip(rows, cols):
            ax.add_patch(_rect(c - 0.5, r - 0.5, 1.0, facecolor="#dddddd", hatch="///", edgecolor="#999999", linewidth=0))
    ax.set_yticks(range(len(week.index)), list(week.index))
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_xlabel("Timme på dygnet")
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
    bar.set_label("Antal brott")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_month_profile(months: pd.DataFrame, title: str) -> Figure:
    """Crimes per month, one line per year (columns); a year's missing months (after the period
    end) are left out of its line."""
    from lagesbild_lib.present.fmt import MONTHS_SHORT

    from lagesbild_lib.figures.common import int_axis

    fig = Figure(figsize=(7.5, 3.8))
    ax = fig.subplots()
    years = list(months.columns)
    greys = np.linspace(0.75, 0.45, max(len(years) - 1, 1))
    for i, year in enumerate(years):
        last = i == len(years) - 1
        style = {"color": "#0072B2", "linewidth": 2.4, "marker": "o", "markersize": 4} if last else {"color": str(greys[min(i, len(greys) - 1)]), "linewidth": 1.3}
        ax.plot(range(12), months[year].to_numpy(dtype=float), label=str(year), **style)
    ax.set_xticks(range(12), list(MONTHS_SHORT))
    ax.set_ylim(bottom=0)
    int_axis(ax)
    ax.set_ylabel("Antal brott")
    ax.legend(frameon=False, ncol=min(len(years), 6), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, -0.32))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _rect(x: float, y: float, size: float, **style):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), size, size, **style)


def _cell_patches(grid, cells: np.ndarray, **style):
    from matplotlib.collections import PatchCollection

    patches = [_rect(grid.x0 + grid.ix[k] * grid.cell, grid.y0 + grid.iy[k] * grid.cell, grid.cell) for k in np.flatnonzero(cells)]
    return PatchCollection(patches, **style)


def plot_hot_spot_map(
    density: Density, outlines_sweref: dict, names: dict[str, str], grid, hot: np.ndarray, title: str, *, ground: Ground | None = None
) -> Figure:
    """The kernel density map (:func:`~lagesbild_lib.figures.hotspot.plot_hotspots`) with the Gi*
    hot-spot cells outlined on it."""
    from matplotlib.lines import Line2D

    fig = plot_hotspots(density, outlines_sweref, names, title, ground=ground)
    axes = map_axes(fig)
    if hot.any():
        for ax in axes:
            ax.add_collection(_cell_patches(grid, hot, facecolor="none", edgecolor=HOT_EDGE, linewidth=1.4, zorder=2.5))
        handle = Line2D([], [], marker="s", linestyle="none", markersize=9, markerfacecolor="none", markeredgecolor=HOT_EDGE, markeredgewidth=1.4)
        axes[0].legend([handle], ["Statistiskt säkerställd brottskoncentration (Gi*, 250 m-ruta)"], loc="upper left", fontsize=7, framealpha=0.85)
    return fig


def plot_persistence_map(
    outlines_sweref: dict, names: dict[str, str], grid, classes: np.ndarray, labels: tuple[str, ...], title: str,
    *, ground: Ground | None = None,
) -> Figure:
    """The grid cells coloured by persistence class (``classes``: one of ``labels`` or "" per cell)."""
    from matplotlib.patches import Patch

    fig, axes, zoom = map_panels(outlines_sweref, ground=ground, size=(7.5, 6.2))
    handles = []
    for label, colour in zip(labels, CLASS_COLOURS):
        cells = classes == label
        if cells.any():
            for ax in axes:
                ax.add_collection(_cell_patches(grid, cells, facecolor=colour, edgecolor="white", linewidth=0.3, alpha=0.9, zorder=1))
            handles.append(Patch(facecolor=colour, edgecolor="none", label=label.capitalize()))
    if handles:
        axes[0].legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.85, title="Brottskoncentration", title_fontsize=7)
    axes[0].set_title(title)
    finish_panels(axes, zoom, outlines_sweref, names)
    return fig
