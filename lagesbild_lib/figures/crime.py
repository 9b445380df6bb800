"""Charts of the crime chapter: small multiples per category, intimate-partner crimes per year,
and the timeline of critical events. Each returns a Figure; each ``*_alt`` states the finding."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lagesbild_lib.figures.common import PALETTE, int_axis, mark_breaks
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int

EVENT_MARKERS = {"sprängning": "o", "skjutning": "^", "brandattentat": "s"}


def plot_category_trends(
    frame: pd.DataFrame, title: str, columns: int = 4, masked_below: int = 0, breaks: Mapping[str, Sequence[float]] | None = None,
) -> Figure:
    """One small line chart per category (columns of ``frame``), years on the x axis.

    With ``masked_below`` N, values that are NaN (counts under disclosure control) are not drawn;
    a grey band from 0 to N in their panel shows where they lie. ``breaks`` gives per column the
    x positions of its series breaks, marked with a dashed line.
    """
    n = len(frame.columns)
    rows = math.ceil(n / columns)
    fig = Figure(figsize=(7.5, 1.75 * rows + 0.6))
    axes = fig.subplots(rows, columns, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_visible(False)
            continue
        label = frame.columns[i]
        ax.plot(frame.index, frame[label], "-o", color=PALETTE[0], markersize=3, linewidth=1.2)
        ax.set_title(label, fontsize=8)
        hidden = masked_below > 0 and bool(frame[label].isna().any())
        if hidden:
            ax.axhspan(0, masked_below, color="#e8e8e8", zorder=0, linewidth=0)
        top = max(1, frame[label].max() if frame[label].notna().any() else 0, masked_below if hidden else 0)
        ax.set_ylim(bottom=0, top=top * (1.45 if (breaks or {}).get(label) else 1.2))
        ax.set_xlim(frame.index[0] - 0.4, frame.index[-1] + 0.4)
        mark_breaks(ax, (breaks or {}).get(label, ()), fontsize=6)
        ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        int_axis(ax)
        ax.set_xticks([frame.index[0], frame.index[-1]])
        ax.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_yearly_bars(
    counts: pd.Series, partial_year: int | None, partial_label: str, title: str,
    masked: frozenset | set = frozenset(), masked_label: str = "", breaks: Sequence[int] = (),
) -> Figure:
    """Bars per year; a partial year is hatched and labelled (e.g. "t.o.m. 31 okt"). A series
    break in a year of ``breaks`` is a dashed line before that year's bar.

    Years in ``masked`` (small counts under disclosure control) are drawn as grey dotted bars up
    to the value given in ``counts`` for them (the threshold), labelled ``masked_label`` ("<5")
    instead of their number.
    """
    fig = Figure(figsize=(7.5, 3.4))
    ax = fig.subplots()
    years = list(counts.index)
    bars = ax.bar([str(y) for y in years], counts.to_numpy(), color=PALETTE[3])
    for year, bar in zip(years, bars):
        shown = masked_label if year in masked else fmt_int(int(bar.get_height()))
        ax.annotate(shown, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8)
        if year in masked:
            bar.set_hatch("..")
            bar.set_facecolor("#e8e8e8")
            bar.set_edgecolor("#767676")
        if year == partial_year:
            bar.set_hatch("//")
            bar.set_facecolor("white")
            bar.set_edgecolor(PALETTE[3])
            ax.annotate(partial_label, (bar.get_x() + bar.get_width() / 2, 0), xytext=(0, -26), textcoords="offset points", ha="center", fontsize=7)
    shown_breaks = [years.index(y) - 0.5 for y in sorted(set(breaks)) if y in years and years.index(y) > 0]
    if shown_breaks:
        ax.set_ylim(top=ax.get_ylim()[1] * 1.12)
        mark_breaks(ax, shown_breaks)
    int_axis(ax)
    ax.set_ylabel("Antal anmälda brott")
    ax.set_title(title)
    return fig


def plot_event_timeline(
    events: pd.DataFrame, rows: list[str], names: dict[str, str], title: str, period_end: dt.date | None = None
) -> Figure:
    """Critical events by month (x) and sub-area (y), marker by type, fatal ones ringed.

    With ``period_end`` before 31 December, the rest of the year is shaded grey and labelled
    "efter perioden": the events drawn are those of the period only.
    """
    fig = Figure(figsize=(7.5, 0.35 * len(rows) + 1.6))
    ax = fig.subplots()
    if period_end is not None and (period_end.month, period_end.day) != (12, 31):
        after = period_end.month + period_end.day / 31  # the x of the day after the period end
        ax.axvspan(after, 13.1, color="#e8e8e8", zorder=0, linewidth=0)
        ax.text((after + 13.1) / 2, len(rows) - 0.45, "efter perioden", ha="center", va="top", fontsize=7, color="#505050")
    ypos = {area: i for i, area in enumerate(reversed(rows))}
    types = sorted(events["type"].unique())
    for i, kind in enumerate(types):
        part = events[events["type"] == kind]
        x = part["event_date"].dt.month + (part["event_date"].dt.day - 1) / 31
        y = part["owner"].map(ypos)
        ax.scatter(x, y, marker=EVENT_MARKERS.get(kind, "D"), color=PALETTE[i % len(PALETTE)], s=45, label=kind, zorder=3)
        fatal = part[part["fatal"].fillna(False).astype(bool)] if "fatal" in part else part.iloc[0:0]
        if len(fatal):
            fx = fatal["event_date"].dt.month + (fatal["event_date"].dt.day - 1) / 31
            ax.scatter(fx, fatal["owner"].map(ypos), marker="o", s=160, facecolors="none", edgecolors="black", linewidths=1.4, zorder=4)
    if "fatal" in events and events["fatal"].fillna(False).astype(bool).any():
        ax.scatter([], [], marker="o", s=160, facecolors="none", edgecolors="black", label="med dödlig utgång")
    ax.set_yticks(list(ypos.values()), [names.get(a, a) for a in ypos])
    ax.set_xticks(range(1, 13), MONTHS_SHORT)
    ax.set_xlim(0.8, 13.1)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="y", linewidth=0.4)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
    ax.set_title(title)
    return fig
