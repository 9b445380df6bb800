"""The chart of a programme's ratings (e.g. GSRS) per group: each group's mean on the scale 1–10
as a point with its 95 % interval, the groups by name with their number of ratings, the mean of
all groups as a dashed line. The numbers behind it go under it (DESIGN §9); the alt text says them.

Input is one programme's rows of :func:`lagesbild_lib.analysis.ratings.group_means` (the row of
all groups last). Groups on few ratings are drawn light and marked ``*``; a group whose number of
ratings is under disclosure control (``masked``) is listed without a point.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator

from lagesbild_lib.analysis.ratings import ALL_GROUPS, SCALE
from lagesbild_lib.figures.common import PALETTE
from lagesbild_lib.present.fmt import fmt_int, fmt_num
from lagesbild_lib.present.text import join_sv

#: The gid of the dashed line for all groups (tests find it by it).
ALL_GID = "alla-grupper"
FEW_MARK = "*"


def _groups_and_total(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    total = table[table["group"] == ALL_GROUPS]
    return table[table["group"] != ALL_GROUPS].reset_index(drop=True), (total.iloc[0] if len(total) else None)


def tick_label(row, masked: frozenset = frozenset(), masked_label: str = "") -> str:
    """A group's label on the axis: its name and its number of ratings, "Tjejgruppen Vällingby (n = 9)"."""
    n = masked_label if row["group_id"] in masked else fmt_int(int(row["n"]))
    return f"{row['group']} (n = {n})" + (f" {FEW_MARK}" if row["few"] and row["group_id"] not in masked else "")


def plot_group_means(table: pd.DataFrame, title: str, masked: frozenset = frozenset(), masked_label: str = "") -> Figure:
    """Points with 95 % intervals, one row per group (top to bottom as in ``table``).

    Parameters
    ----------
    table
        One programme's rows of :func:`~lagesbild_lib.analysis.ratings.group_means`.
    title
        The chart's title.
    masked
        ``group_id`` values whose number of ratings is masked (small-count control): no point, no
        number, only the label with ``masked_label`` ("<5") for n; "" masks the line of all groups.
    """
    groups, total = _groups_and_total(table)
    fig = Figure(figsize=(7.5, 0.5 * len(groups) + 1.5))
    ax = fig.subplots()
    ys = list(range(len(groups)))[::-1]
    for y, row in zip(ys, groups.itertuples(index=False)):
        if row.group_id in masked or pd.isna(row.mean):
            continue
        color = "#9ecae1" if row.few else PALETTE[0]
        if not math.isnan(row.lo):
            ax.plot([row.lo, row.hi], [y, y], color="#333333", linewidth=1.4, solid_capstyle="butt", zorder=2)
            ax.plot([row.lo, row.hi], [y, y], "|", color="#333333", markersize=8, zorder=2)
        ax.plot([row.mean], [y], "o", color=color, markeredgecolor="#333333", markersize=8, zorder=3)
        ax.annotate(fmt_num(row.mean, 1), (row.hi if not math.isnan(row.hi) else row.mean, y), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8)
    if total is not None and total["group_id"] not in masked and pd.notna(total["mean"]):
        ax.axvline(total["mean"], color=PALETTE[5], linestyle="--", linewidth=1.2, zorder=1, gid=ALL_GID)
        ax.text(total["mean"], len(groups) - 0.45, f" {ALL_GROUPS.lower()}: {fmt_num(total['mean'], 1)}", color=PALETTE[5],
                fontsize=8, va="bottom", ha="left", gid=ALL_GID)
    ax.set_yticks(ys, [tick_label(r, masked, masked_label) for _, r in groups.iterrows()])
    ax.set_ylim(-0.6, len(groups) - 0.1)
    ax.set_xlim(SCALE[0] - 0.2, SCALE[1] + 0.2)
    ax.xaxis.set_major_locator(MultipleLocator(1))
    ax.xaxis.set_major_formatter(lambda v, _: fmt_int(int(v)))
    ax.grid(axis="x", linewidth=0.4, color="#dddddd")
    ax.set_xlabel("Medelvärde på skalan 1–10 med 95 % konfidensintervall")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def group_means_alt(table: pd.DataFrame, what: str, masked: frozenset = frozenset(), masked_label: str = "") -> str:
    """Alt text: every group's mean with its interval and number of ratings, then all groups'."""
    groups, total = _groups_and_total(table)
    parts = []
    for _, row in groups.iterrows():
        if row["group_id"] in masked:
            parts.append(f"{row['group']} (färre än {masked_label.lstrip('<')} skattningar, visas inte)")
            continue
        interval = f"{fmt_num(row['lo'], 1)}–{fmt_num(row['hi'], 1)}; " if pd.notna(row["lo"]) else ""
        few = ", få skattningar" if row["few"] else ""
        parts.append(f"{row['group']} {fmt_num(row['mean'], 1)} ({interval}{fmt_int(int(row['n']))} skattningar{few})")
    text = f"Punktdiagram över {what}, medelvärde på skalan 1–10 med 95 % konfidensintervall: {join_sv(parts)}"
    if total is not None and total["group_id"] not in masked:
        text += f"; {ALL_GROUPS.lower()} {fmt_num(total['mean'], 1)} ({fmt_int(int(total['n']))} skattningar)"
    return text + "."
