"""Where crimes concentrate: a kernel density surface of crime locations over the area's map.

Points are binned on a 50 m grid in SWEREF 99 TM and smoothed with a Gaussian kernel
(scipy.ndimage), which is a kernel density estimate that costs the same for a hundred or a
hundred thousand crimes. Only the smoothed surface is drawn, never a crime's own position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lagesbild_lib.figures.basemap import Ground
from lagesbild_lib.figures.maps import finish_panels, map_panels
from lagesbild_lib.data.crs import points_to_sweref

CELL_M = 50.0
BANDWIDTH_M = 250.0
MIN_SHARE_OF_PEAK = 0.08  # weaker density is left transparent: the map shows concentrations, not noise


@dataclass(frozen=True)
class Density:
    """A density surface on a regular grid (crimes per km²), NaN outside the area."""

    values: np.ndarray
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax in metres
    points: int


def located_points(crimes: pd.DataFrame) -> np.ndarray:
    """(x, y) in SWEREF 99 TM metres of the crimes that have coordinates."""
    if "lon" not in crimes.columns or "lat" not in crimes.columns:
        return np.empty((0, 2))
    part = crimes[["lon", "lat"]].dropna()
    if part.empty:
        return np.empty((0, 2))
    x, y = points_to_sweref(part["lon"].to_numpy(float), part["lat"].to_numpy(float))
    return np.column_stack([x, y])


def kernel_density(points: np.ndarray, outline, cell: float = CELL_M, bandwidth: float = BANDWIDTH_M) -> Density:
    """Gaussian kernel density of ``points`` inside ``outline`` (a SWEREF 99 TM polygon)."""
    from scipy.ndimage import gaussian_filter
    from shapely import contains_xy

    xmin, ymin, xmax, ymax = outline.bounds
    pad = 2 * bandwidth
    xs = np.arange(xmin - pad, xmax + pad + cell, cell)
    ys = np.arange(ymin - pad, ymax + pad + cell, cell)
    counts, _, _ = np.histogram2d(points[:, 1], points[:, 0], bins=[ys, xs]) if len(points) else (np.zeros((len(ys) - 1, len(xs) - 1)), None, None)
    smooth = gaussian_filter(counts, sigma=bandwidth / cell, mode="constant") / (cell * cell / 1e6)
    cx = (xs[:-1] + xs[1:]) / 2
    cy = (ys[:-1] + ys[1:]) / 2
    gx, gy = np.meshgrid(cx, cy)
    inside = contains_xy(outline, gx, gy)
    values = np.where(inside, smooth, np.nan)
    return Density(values, (xs[0], xs[-1], ys[0], ys[-1]), int(len(points)))


def plot_hotspots(density: Density, outlines_sweref: dict, names: dict[str, str], title: str, *, ground: Ground | None = None) -> Figure:
    """The density surface (colour-blind-safe sequential scale) over the base map, under the sub-area outlines."""
    fig, axes, zoom = map_panels(outlines_sweref, ground=ground, size=(7.5, 6.2))
    values = density.values.copy()
    peak = np.nanmax(values) if np.isfinite(values).any() else 0.0
    if peak > 0:
        values[values < MIN_SHARE_OF_PEAK * peak] = np.nan
        for ax in axes:
            xlim, ylim = ax.get_xlim(), ax.get_ylim()
            # the enlargement draws only the part of the grid it shows (the whole grid is most of the cost)
            shown, extent = (values, density.extent) if ax is axes[0] else _window(values, density.extent, xlim, ylim)
            image = ax.imshow(shown, extent=extent, origin="lower", cmap="magma_r", alpha=0.85, zorder=0.5, vmin=0, vmax=peak)
            ax.set_xlim(*xlim)  # imshow frames its image: keep the outlines' frame
            ax.set_ylim(*ylim)
        bar = fig.colorbar(image, ax=axes[-1], shrink=0.6, pad=0.02)
        bar.set_label("Brott per km² (utjämnat)")
    axes[0].set_title(title)
    finish_panels(axes, zoom, outlines_sweref, names)
    return fig


def _window(values: np.ndarray, extent: tuple[float, float, float, float], xlim, ylim):
    """The part of a grid (``extent``: first and last cell centres) that covers the axes' limits,
    one cell beyond on each side, with its extent in the same terms; the whole grid when it has
    fewer than two cells a side."""
    ny, nx = values.shape
    x0, x1, y0, y1 = extent
    if nx < 2 or ny < 2 or x1 <= x0 or y1 <= y0:
        return values, extent

    def span(lo: float, hi: float, first: float, last: float, n: int) -> tuple[int, int]:
        step = (last - first) / (n - 1)
        return max(0, int(np.floor((lo - first) / step)) - 1), min(n - 1, int(np.ceil((hi - first) / step)) + 1)

    i0, i1 = span(min(xlim), max(xlim), x0, x1, nx)
    j0, j1 = span(min(ylim), max(ylim), y0, y1, ny)
    if i1 - i0 < 1 or j1 - j0 < 1 or (i0, i1, j0, j1) == (0, nx - 1, 0, ny - 1):
        return values, extent
    sx, sy = (x1 - x0) / (nx - 1), (y1 - y0) / (ny - 1)
    return values[j0:j1 + 1, i0:i1 + 1], (x0 + i0 * sx, x0 + i1 * sx, y0 + j0 * sy, y0 + j1 * sy)


def map_axes(fig) -> list:
    """The map axes of a figure (not its colour bar): one, or two with an enlargement."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def peak_location(density: Density, outlines_sweref: dict) -> str | None:
    """The sub-area in which the density peaks (for the alt text and key findings)."""
    from shapely.geometry import Point

    values = density.values
    if not np.isfinite(values).any() or np.nanmax(values) <= 0:
        return None
    iy, ix = np.unravel_index(np.nanargmax(values), values.shape)
    xmin, xmax, ymin, ymax = density.extent
    ny, nx = values.shape
    point = Point(xmin + (ix + 0.5) * (xmax - xmin) / nx, ymin + (iy + 0.5) * (ymax - ymin) / ny)
    for area, geom in outlines_sweref.items():
        if geom.contains(point):
            return area
    return None
