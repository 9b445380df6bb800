"""Charts: one function per chart returning a matplotlib Figure (no I/O, no pyplot state), and one
function per chart stating its main finding in words for the alt text."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lagesbild_lib.present.fmt import fmt_int, fmt_share
from lagesbild_lib.present.text import join_sv

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def int_axis(ax) -> None:
    """Label the y axis with whole numbers in Swedish format ("12 300")."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(int(v))))


#: The gid of what :func:`mark_breaks` draws (tests and readers of the figure find it by it).
BREAK_GID = "serieuppbrott"


def mark_breaks(ax, xs, label: str = "Serieuppbrott", fontsize: float = 7) -> None:
    """A series break: a vertical dashed line at each x (between two years) with a short label
    at the top of the axes, on the side of the line with more room (call it after the x limits
    are set)."""
    left, right = ax.get_xlim()
    for x in xs:
        ax.axvline(x, color="#505050", linestyle="--", linewidth=1.0, zorder=1, gid=BREAK_GID)
        if label:
            before = x > (left + right) / 2
            ax.text(x, 0.98, f"{label} " if before else f" {label}", transform=ax.get_xaxis_transform(),
                    ha="right" if before else "left", va="top", fontsize=fontsize, color="#505050", gid=BREAK_GID)


def plot_yearly_counts(frame: pd.DataFrame, title: str, breaks: Sequence[float] = ()) -> Figure:
    """Lines of counts per year, one per column (e.g. CompStat group); ``breaks``: x positions of
    series breaks (:func:`lagesbild_lib.analysis.breaks.positions`), marked by :func:`mark_breaks`."""
    fig = Figure(figsize=(7.5, 3.8))
    ax = fig.subplots()
    styles = ("-o", "--s", ":^", "-.D")
    for i, column in enumerate(frame.columns):
        ax.plot(frame.index, frame[column], styles[i % len(styles)], color=PALETTE[i % len(PALETTE)], label=str(column))
    ax.set_xticks(list(frame.index))
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * (1.1 if breaks else 1))
    mark_breaks(ax, breaks)
    int_axis(ax)
    ax.set_ylabel("Antal anmälda brott")
    ax.set_title(title)
    ax.legend(frameon=False)
    return fig


def yearly_counts_alt(frame: pd.DataFrame, what: str) -> str:
    """Alt text: first and last year's counts per series."""
    first, last = frame.index[0], frame.index[-1]
    parts = [f"{col.lower()} från {fmt_int(frame.loc[first, col])} år {first} till {fmt_int(frame.loc[last, col])} år {last}" for col in frame.columns]
    return f"Linjediagram över {what}: {join_sv(parts)}."


def plot_shares(table: pd.DataFrame, title: str, highlight: tuple[str, ...] = ()) -> Figure:
    """Horizontal bars of shares (0–1) with their 95 % intervals; ``highlight`` ids drawn darker."""
    data = table.iloc[::-1]
    fig = Figure(figsize=(7.5, 0.45 * len(data) + 1.2))
    ax = fig.subplots()
    colors = [PALETTE[0] if a in highlight else PALETTE[4] for a in data["area_id"]]
    err = [100 * (data["share"] - data["lo"]), 100 * (data["hi"] - data["share"])]
    ax.barh(data["name"], 100 * data["share"], xerr=err, color=colors, ecolor="#333333", capsize=3)
    for y, (share, small) in enumerate(zip(data["share"], data["small"])):
        ax.text(100 * share + 0.5, y, fmt_share(share) + (" *" if small else ""), va="center", ha="left", fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} %"))
    ax.set_xlim(0, max(100 * data["hi"].max() * 1.15, 10))
    ax.set_title(title)
    ax.set_xlabel("Andel av de svarande (95 % konfidensintervall)")
    return fig


def shares_alt(table: pd.DataFrame, what: str) -> str:
    """Alt text: the highest and lowest share."""
    top = table.loc[table["share"].idxmax()]
    low = table.loc[table["share"].idxmin()]
    return (
        f"Stapeldiagram över {what}: högst i {top['name']} ({fmt_share(top['share'])}), "
        f"lägst i {low['name']} ({fmt_share(low['share'])})."
    )
