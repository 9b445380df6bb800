"""Map labels placed without overlaps: every name on a map gets a box that touches no other label,
no marker, scale bar or north arrow, and stays inside the map.

Placement is greedy and deterministic (so two builds give the same image). Each label is measured
with the renderer's own text extents; the candidates are positions on a grid around its anchor,
tried nearest first, a position whose centre lies inside the label's own area preferred. The first
free candidate wins; a label moved off its anchor gets a thin leader line to it. Labels of the
smallest areas are placed first, as they have the least room.

Call :func:`place_labels` last, when the map's layout is final (after colour bars, legends and
``tight_layout``): the offsets are in points from the anchor, so they hold at any resolution but
not when the axes are resized afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The gid of every placed label (tests and readers of the figure find them by it).
LABEL_GID = "lb-label"
LEADER_GID = "lb-leader"
BOX_PAD = 0.15  # the label box's padding, in font sizes (as matplotlib's boxstyle pad)
GAP_PX = 1.5  # free space kept between two label boxes, in pixels
LEADER_COLOUR = "#555555"


@dataclass(frozen=True)
class MapLabel:
    """One label to place.

    Attributes
    ----------
    text
        What it says (may hold a line break).
    x, y
        The anchor in data coordinates (SWEREF 99 TM metres).
    inside
        The area (shapely geometry, data coordinates) the label should preferably stay within.
    fontsize, weight
        The font.
    offset
        The preferred offset from the anchor in points (e.g. a number beside its marker).
    priority
        Lower is placed earlier; by default the label's area (the smallest first).
    """

    text: str
    x: float
    y: float
    inside: object | None = None
    fontsize: float = 7.0
    weight: str = "normal"
    offset: tuple[float, float] = (0.0, 0.0)
    priority: float | None = None


def renderer_of(fig):
    """The figure's Agg renderer (attaching an Agg canvas to a bare :class:`Figure` if needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def artist_boxes(ax, artists) -> list[np.ndarray]:
    """Display-space boxes ``[x0, y0, x1, y1]`` of artists (obstacles for :func:`place_labels`)."""
    renderer = renderer_of(ax.figure)
    out = []
    for artist in artists:
        box = artist.get_window_extent(renderer)
        out.append(np.array([box.x0, box.y0, box.x1, box.y1]))
    return out


def marker_boxes(ax, xs, ys, size_pt: float) -> list[np.ndarray]:
    """Display-space boxes of point markers of ``size_pt`` points centred on data points."""
    if len(xs) == 0:
        return []
    ax.apply_aspect()
    half = size_pt * ax.figure.dpi / 72 / 2
    points = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    return [np.array([px - half, py - half, px + half, py + half]) for px, py in points]


def place_labels(ax, labels: list[MapLabel], obstacles: list[np.ndarray] = (), *, box_style: dict | None = None) -> list:
    """Draw ``labels`` on ``ax`` so that no two label boxes, and no label box and obstacle, overlap.

    Parameters
    ----------
    ax
        The map's axes, its layout final.
    labels
        The labels to place.
    obstacles
        Display-space boxes ``[x0, y0, x1, y1]`` labels must keep clear of (markers, scale bar …).
    box_style
        The label box (default white, slightly transparent, no edge).

    Returns
    -------
    list of matplotlib Annotation
        The labels drawn, in the order given; each has gid :data:`LABEL_GID`.
    """
    if not labels:
        return []
    fig = ax.figure
    renderer = renderer_of(fig)
    ax.apply_aspect()
    dpi = fig.dpi
    frame = ax.get_window_extent(renderer)
    limits = np.array([frame.x0, frame.y0, frame.x1, frame.y1])
    style = box_style or {"boxstyle": f"round,pad={BOX_PAD}", "fc": "white", "ec": "none", "alpha": 0.8}
    taken = [np.asarray(o, float) for o in obstacles]
    order = sorted(range(len(labels)), key=lambda i: (_priority(labels[i]), labels[i].text, i))
    drawn: dict[int, object] = {}
    for i in order:
        label = labels[i]
        anchor = ax.transData.transform((label.x, label.y))
        width, height = _label_size(fig, renderer, label, dpi)
        dx, dy = _choose(ax, label, anchor, width, height, limits, taken, dpi)
        box = np.array([anchor[0] + dx - width / 2, anchor[1] + dy - height / 2, anchor[0] + dx + width / 2, anchor[1] + dy + height / 2])
        taken.append(box)
        base = np.array(label.offset, float) * dpi / 72
        moved = abs(dx - base[0]) > width / 2 or abs(dy - base[1]) > height / 2
        leader = moved and not (box[0] <= anchor[0] <= box[2] and box[1] <= anchor[1] <= box[3])
        drawn[i] = ax.annotate(
            label.text, (label.x, label.y), xytext=(dx * 72 / dpi, dy * 72 / dpi), textcoords="offset points",
            ha="center", va="center", fontsize=label.fontsize, fontweight=label.weight, zorder=6, gid=LABEL_GID,
            bbox=dict(style), annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": LEADER_COLOUR, "linewidth": 0.6, "shrinkA": 0, "shrinkB": 0, "gid": LEADER_GID} if leader else None,
        )
    return [drawn[i] for i in range(len(labels))]


def overlapping_pairs(boxes: list) -> list[tuple[int, int]]:
    """Index pairs of display boxes (matplotlib Bbox or ``[x0, y0, x1, y1]``) that intersect."""
    arr = [np.array([b.x0, b.y0, b.x1, b.y1]) if hasattr(b, "x0") else np.asarray(b, float) for b in boxes]
    out = []
    for i in range(len(arr)):
        for j in range(i + 1, len(arr)):
            a, b = arr[i], arr[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append((i, j))
    return out


def _priority(label: MapLabel) -> float:
    if label.priority is not None:
        return label.priority
    return float(getattr(label.inside, "area", 0.0) or 0.0)


def _label_size(fig, renderer, label: MapLabel, dpi: float) -> tuple[float, float]:
    """The label box's width and height in pixels (text extent, box padding and a gap)."""
    from matplotlib.text import Text

    probe = Text(0, 0, label.text, fontsize=label.fontsize, fontweight=label.weight, ha="center", va="center", figure=fig)
    extent = probe.get_window_extent(renderer)
    pad = 2 * (BOX_PAD * label.fontsize * dpi / 72) + 2 * GAP_PX
    return extent.width + pad, extent.height + pad


def _choose(ax, label: MapLabel, anchor, width: float, height: float, limits, taken, dpi: float) -> tuple[float, float]:
    """The offset (pixels) of the nearest free position, one inside the label's area preferred."""
    base = np.array(label.offset, float) * dpi / 72
    steps_x = np.arange(-12, 13) * width / 4
    steps_y = np.arange(-16, 17) * height / 4
    gx, gy = np.meshgrid(steps_x, steps_y)
    dx = gx.ravel() + base[0]
    dy = gy.ravel() + base[1]
    cx, cy = anchor[0] + dx, anchor[1] + dy
    x0, x1 = cx - width / 2, cx + width / 2
    y0, y1 = cy - height / 2, cy + height / 2
    free = (x0 >= limits[0]) & (x1 <= limits[2]) & (y0 >= limits[1]) & (y1 <= limits[3])
    for box in taken:
        free &= ~((x0 < box[2]) & (box[0] < x1) & (y0 < box[3]) & (box[1] < y1))
    distance = np.hypot((dx - base[0]) / width, (dy - base[1]) / height)
    score = distance
    if label.inside is not None:
        import shapely

        centres = ax.transData.inverted().transform(np.column_stack([cx, cy]))
        outside = ~shapely.contains_xy(label.inside, centres[:, 0], centres[:, 1])
        score = distance + 1.5 * outside
    if not free.any():
        # Nowhere free near the anchor: search the whole map, then the whole figure (a leader line shows where it belongs).
        figure_box = ax.figure.bbox
        for frame in (limits, np.array([figure_box.x0, figure_box.y0, figure_box.x1, figure_box.y1])):
            found = _anywhere(anchor, width, height, frame, taken)
            if found is not None:
                return found
        return float(base[0]), float(base[1])  # the figure is full: keep the preferred position
    best = np.flatnonzero(free)[np.argmin(score[free])]
    return float(dx[best]), float(dy[best])


def _anywhere(anchor, width, height, limits, taken) -> tuple[float, float] | None:
    xs = np.arange(limits[0] + width / 2, limits[2] - width / 2 + 1e-9, width / 4)
    ys = np.arange(limits[1] + height / 2, limits[3] - height / 2 + 1e-9, height / 4)
    gx, gy = np.meshgrid(xs, ys)
    cx, cy = gx.ravel(), gy.ravel()
    free = np.ones(len(cx), bool)
    for box in taken:
        free &= ~((cx - width / 2 < box[2]) & (box[0] < cx + width / 2) & (cy - height / 2 < box[3]) & (box[1] < cy + height / 2))
    if not free.any():
        return None
    distance = np.hypot(cx - anchor[0], cy - anchor[1])
    best = np.flatnonzero(free)[np.argmin(distance[free])]
    return float(cx[best] - anchor[0]), float(cy[best] - anchor[1])
