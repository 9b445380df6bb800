"""Charts of the area against its peers: rates per 100 000 inhabitants over the years with the
peer group's middle half as a band, and the funnel plot (rate against population with exact
Poisson control limits). Each returns a matplotlib Figure; no I/O, no pyplot state."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lagesbild_lib.figures.common import PALETTE, int_axis
from lagesbild_lib.present.fmt import fmt_int

HIGHLIGHT = PALETTE[5]  # the report's area (vermilion)
BAND = "#BBBBBB"


def plot_rates(area: pd.Series, references: dict[str, pd.Series], band: pd.DataFrame, area_name: str, band_label: str, title: str) -> Figure:
    """Lines of crimes per 100 000 inhabitants per year: the area (thick), each reference, and the
    peers' middle half (``band`` with ``q1``/``q3`` per year) as a grey band."""
    fig = Figure(figsize=(7.5, 3.8))
    ax = fig.subplots()
    years = list(area.index)
    shown = band.dropna(subset=["q1", "q3"])
    if len(shown):
        ax.fill_between(list(shown.index), shown["q1"], shown["q3"], color=BAND, alpha=0.6, linewidth=0, label=band_label)
    styles = ("--s", ":^", "-.D")
    for i, (label, series) in enumerate(references.items()):
        ax.plot(list(series.index), series.to_numpy(), styles[i % len(styles)], color=PALETTE[i % 5], label=label)
    ax.plot(years, area.to_numpy(), "-o", color=HIGHLIGHT, linewidth=2.5, label=area_name)
    ax.set_xticks(years)
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * 1.05)
    int_axis(ax)
    ax.set_ylabel("Anmälda brott per 100 000 inv.")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    return fig


def plot_funnel(points: pd.DataFrame, curve: pd.DataFrame, target: float, area_id: str, names: dict[str, str], title: str) -> Figure:
    """Funnel plot: each area's rate against its population, the target as a line and the 95 %
    (dashed) and 99,8 % (dotted) control limits; the report's area highlighted and named.

    Parameters
    ----------
    points
        ``area_id``, ``population``, ``rate`` per area.
    curve
        The limits over a range of populations (``population``, ``lo998``, ``lo95``, ``hi95``, ``hi998``).
    target
        The group's pooled rate per 100 000.
    """
    fig = Figure(figsize=(7.5, 4.4))
    ax = fig.subplots()
    n = curve["population"]
    ax.plot(n, curve["hi998"], ":", color="#404040", label="Kontrollgräns 99,8 %")
    ax.plot(n, curve["lo998"], ":", color="#404040")
    ax.plot(n, curve["hi95"], "--", color="#404040", label="Kontrollgräns 95 %")
    ax.plot(n, curve["lo95"], "--", color="#404040")
    ax.axhline(target, color=PALETTE[0], linewidth=1.2, label="Gruppen sammantaget")
    others = points[points["area_id"] != area_id]
    ax.scatter(others["population"], others["rate"], s=28, color="#7F7F7F", zorder=3, label="Jämförda områden")
    mine = points[points["area_id"] == area_id]
    ax.scatter(mine["population"], mine["rate"], s=80, marker="D", color=HIGHLIGHT, edgecolor="black", zorder=4, label=names.get(area_id, area_id))
    for row in mine.itertuples(index=False):
        ax.annotate(names.get(area_id, area_id), (row.population, row.rate), xytext=(6, 6), textcoords="offset points", fontsize=8)
    ax.set_ylim(bottom=0)
    int_axis(ax)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(int(v))))
    ax.set_xlabel("Folkmängd")
    ax.set_ylabel("Anmälda brott per 100 000 inv.")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return fig
