"""Where crimes concentrate, on a 250 m grid: the concentration in the busiest cells, the
statistically significant hot spots (Getis-Ord Gi*) and their persistence over the years.

- The grid covers the area's outline in SWEREF 99 TM (metres); each cell keeps the share of it
  that lies inside the area, so a cell cut by the boundary expects fewer crimes.
- Gi* is PySAL's (``esda.G_Local`` with ``star=True`` on binary queen-contiguity weights from
  ``libpysal``): a cell and its eight neighbours against the whole area. With binary weights the
  statistic is the share of the area's crimes that fall in the cell's neighbourhood. Its p-value
  is exact: if the crimes were spread at random over the area, the number in a neighbourhood
  would follow a binomial distribution (all crimes, the neighbourhood's share of the area). The
  analytical normal approximation and esda's conditional permutations both find hot spots in
  uniform noise when counts are small (most cells empty), which this test does not.
- Many cells are tested at once, so the cut-off is corrected for multiple testing with the false
  discovery rate (Benjamini–Hochberg, ``esda.fdr``) at 5 %.

Pure functions of coordinates and arrays; nothing here reads files or draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lagesbild_lib.analysis.stats import ALPHA

CELL_M = 250.0
TOP_SHARE = 0.05  # the concentration: the share of crimes in the top 5 % of cells

#: Persistence classes over three years, in the order they are shown.
PERSISTENT, NEW, INTERMITTENT, GONE = "ihållande", "ny", "periodvis", "försvunnen"
CLASSES = (PERSISTENT, NEW, INTERMITTENT, GONE)
CLASS_TEXT = {
    PERSISTENT: "Brottskoncentration alla tre åren",
    NEW: "Brottskoncentration bara det senaste året",
    INTERMITTENT: "Brottskoncentration det senaste året och ett av de två åren före",
    GONE: "Brottskoncentration tidigare men inte det senaste året",
}


@dataclass(frozen=True)
class Grid:
    """The cells of a regular grid that lie (partly) inside an outline.

    ``ix``/``iy`` are the cells' column and row on the grid whose lower-left corner is
    (``x0``, ``y0``); ``inside`` is the share (0–1] of each cell inside the outline.
    """

    x0: float
    y0: float
    cell: float
    ix: np.ndarray
    iy: np.ndarray
    inside: np.ndarray

    def __len__(self) -> int:
        return len(self.ix)

    def centres(self) -> np.ndarray:
        return np.column_stack([self.x0 + (self.ix + 0.5) * self.cell, self.y0 + (self.iy + 0.5) * self.cell])

    def box(self, k: int):
        """The cell ``k`` as a shapely box."""
        from shapely.geometry import box

        x, y = self.x0 + self.ix[k] * self.cell, self.y0 + self.iy[k] * self.cell
        return box(x, y, x + self.cell, y + self.cell)


def make_grid(outline, cell: float = CELL_M) -> Grid:
    """The ``cell``-metre cells that overlap ``outline`` (a SWEREF 99 TM polygon), aligned to whole
    multiples of ``cell`` so that the same area gives the same grid every year."""
    import shapely
    from shapely.geometry import box

    xmin, ymin, xmax, ymax = outline.bounds
    x0, y0 = math.floor(xmin / cell) * cell, math.floor(ymin / cell) * cell
    nx, ny = math.ceil((xmax - x0) / cell), math.ceil((ymax - y0) / cell)
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
    ix, iy = ix.ravel(), iy.ravel()
    boxes = [box(x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell, y0 + (j + 1) * cell) for i, j in zip(ix, iy)]
    shapely.prepare(outline)
    share = shapely.area(shapely.intersection(np.array(boxes, dtype=object), outline)) / (cell * cell)
    keep = share > 1e-6
    return Grid(x0, y0, cell, ix[keep], iy[keep], share[keep])


def cell_owner(grid: Grid, outlines: dict) -> list:
    """The key of ``outlines`` (sub-area id → SWEREF 99 TM polygon) that covers most of each cell."""
    import shapely
    from shapely.geometry import box

    boxes = np.array([box(x, y, x + grid.cell, y + grid.cell) for x, y in grid.centres() - grid.cell / 2], dtype=object)
    keys = list(outlines)
    overlap = np.stack([shapely.area(shapely.intersection(boxes, outlines[k])) for k in keys])
    return [keys[i] for i in np.argmax(overlap, axis=0)]


def cell_of(grid: Grid, points: np.ndarray) -> np.ndarray:
    """The cell of ``grid`` each point (x, y in metres) lies in, −1 for none."""
    if len(points) == 0:
        return np.empty(0, dtype=np.int64)
    px = np.floor((points[:, 0] - grid.x0) / grid.cell).astype(np.int64)
    py = np.floor((points[:, 1] - grid.y0) / grid.cell).astype(np.int64)
    lookup = {(int(i), int(j)): n for n, (i, j) in enumerate(zip(grid.ix, grid.iy))}
    return np.array([lookup.get((int(i), int(j)), -1) for i, j in zip(px, py)], dtype=np.int64)


def cell_counts(grid: Grid, points: np.ndarray) -> tuple[np.ndarray, int]:
    """Points (x, y in metres) per cell of ``grid``, and how many fell in none of its cells."""
    counts = np.zeros(len(grid), dtype=np.int64)
    where = cell_of(grid, points)
    hit = where >= 0
    np.add.at(counts, where[hit], 1)
    return counts, int((~hit).sum())


def queen_weights(grid: Grid):
    """Binary queen-contiguity weights (``libpysal.weights.W``) between the cells of ``grid``."""
    from libpysal.weights import W

    position = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(grid.ix, grid.iy))}
    neighbours = {}
    for k, (i, j) in enumerate(zip(grid.ix, grid.iy)):
        near = (position.get((int(i) + di, int(j) + dj)) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj)
        neighbours[k] = [n for n in near if n is not None]
    return W(neighbours, silence_warnings=True)


def concentration(counts: np.ndarray, top: float = TOP_SHARE) -> tuple[float, int, int, int]:
    """The share of all crimes in the busiest ``top`` share of cells.

    Returns
    -------
    (share 0–1, cells in the top (at least one), cells, crimes); share NaN without crimes.
    """
    counts = np.asarray(counts, dtype=np.int64)
    n_top = max(1, math.ceil(top * len(counts))) if len(counts) else 0
    total = int(counts.sum())
    busiest = int(np.sort(counts)[::-1][:n_top].sum())
    return (busiest / total if total else float("nan")), n_top, len(counts), total


@dataclass(frozen=True)
class HotSpots:
    """Gi* per cell: z-score (esda), exact one-sided p-value, and the hot spots at the FDR cut-off."""

    z: np.ndarray
    p: np.ndarray
    cutoff: float
    hot: np.ndarray
    total: int

    @property
    def count(self) -> int:
        return int(self.hot.sum())


def gi_star(counts: np.ndarray, grid: Grid, alpha: float = ALPHA) -> HotSpots:
    """Getis-Ord Gi* hot spots of ``counts`` on ``grid`` (see the module docstring).

    A cell is a hot spot when its neighbourhood (itself and its queen neighbours) holds more
    crimes than random spread would, at a false discovery rate of ``alpha``.
    """
    from esda import fdr
    from scipy.stats import binom

    y = np.asarray(counts, dtype=float)
    n = len(y)
    total = int(y.sum())
    if total == 0 or n < 2:
        return HotSpots(np.zeros(n), np.ones(n), alpha / max(n, 1), np.zeros(n, dtype=bool), total)
    w = queen_weights(grid)
    window = _window_matrix(w)
    z = _esda_z(y, w)
    expected_share = window @ grid.inside / grid.inside.sum()
    in_window = np.rint(window @ y)
    p = binom.sf(in_window - 1, total, np.minimum(expected_share, 1.0))
    cutoff = float(fdr(p, alpha))
    hot = (p < cutoff) & (z > 0)
    return HotSpots(z, p, cutoff, hot, total)


def _window_matrix(w):
    """The cell and its neighbours: the binary weights with ones on the diagonal (Gi*'s star)."""
    from scipy.sparse import identity

    return (w.sparse + identity(w.n, format="csr")).tocsr()


def _esda_z(y: np.ndarray, w) -> np.ndarray:
    """Gi* z-scores from ``esda.G_Local`` (no permutations: only the statistic and its moments)."""
    import warnings

    from esda.getisord import G_Local

    with warnings.catch_warnings():  # an area of one cell, or a constant count, divides by zero
        warnings.simplefilter("ignore", RuntimeWarning)
        g = G_Local(y, w, transform="B", star=True, permutations=0)
    return np.nan_to_num(np.asarray(g.Zs, dtype=float), nan=0.0)


def persistence_classes(hot_by_year: list[np.ndarray]) -> np.ndarray:
    """Each cell's persistence class over three years (oldest first), or "" for never hot.

    ``ihållande``: hot every year; ``ny``: hot only the last year; ``periodvis``: hot the last
    year and one of the two before; ``försvunnen``: hot before, not the last year.
    """
    if len(hot_by_year) != 3:
        raise ValueError("persistence needs the hot spots of exactly three years")
    first, second, last = (np.asarray(h, dtype=bool) for h in hot_by_year)
    earlier = first.astype(int) + second.astype(int)
    out = np.full(first.shape, "", dtype=object)
    out[last & (earlier == 2)] = PERSISTENT
    out[last & (earlier == 0)] = NEW
    out[last & (earlier == 1)] = INTERMITTENT
    out[~last & (earlier > 0)] = GONE
    return out
