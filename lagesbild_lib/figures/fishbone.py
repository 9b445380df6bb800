"""The orsaksanalys as a fishbone (Ishikawa) diagram: the problem at the head, one bone per branch
(gärningsperson, offer/mål, plats/situation) with its causes written along it; and the alt text
that says the same in words. No I/O, no pyplot state."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from lagesbild_lib.figures.common import PALETTE
from lagesbild_lib.present.text import join_sv, number_word

#: Branch heading → how the alt text names its side.
SIDES = {"Gärningsperson": "gärningspersonssidan", "Offer/mål": "offer- och målsidan", "Plats/situation": "plats- och situationssidan"}


def plot_fishbone(problem: str, causes: pd.DataFrame) -> Figure:
    """A fishbone diagram of one problem.

    Parameters
    ----------
    problem
        The problem, written in the head.
    causes
        :func:`~lagesbild_lib.analysis.risk.fishbone_frame`: Gren, Orsak (and Underlag, not drawn).

    Returns
    -------
    Figure
        The spine from left to the head, the three bones alternately above and below it, each
        with its branch heading at the outer end and its causes listed beside it (a branch
        without causes says "inga angivna").
    """
    fig = Figure(figsize=(8.6, 4.6))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.annotate("", xy=(0.74, 0.5), xytext=(0.02, 0.5), arrowprops={"arrowstyle": "-|>", "lw": 2.2, "color": "#333333"})
    head = FancyBboxPatch((0.75, 0.36), 0.23, 0.28, boxstyle="round,pad=0.01", fc=PALETTE[0], ec="none")
    ax.add_patch(head)
    ax.text(0.865, 0.5, textwrap.fill(problem, 24), ha="center", va="center", color="white", fontsize=9.5, weight="bold")
    for i, branch in enumerate(SIDES):
        join_x = 0.28 + 0.22 * i
        up = i % 2 == 0
        end_x, end_y = join_x - 0.14, (0.9 if up else 0.1)
        ax.plot([end_x, join_x], [end_y, 0.5], color=PALETTE[i + 1], lw=2)
        ax.text(end_x, end_y + (0.04 if up else -0.04), branch, ha="center", va="bottom" if up else "top", fontsize=10, weight="bold")
        listed = causes.loc[causes["Gren"] == branch, "Orsak"].tolist()
        lines = [textwrap.fill(c, 30, subsequent_indent="  ") for c in listed] or ["(inga angivna)"]
        text = "\n".join(f"• {line}" for line in lines)
        # right of the bone, clear of it: the bone is 0.035–0.05 to the right of its end at these heights
        ax.text(end_x + 0.075, (0.82 if up else 0.18), text, ha="left", va="top" if up else "bottom", fontsize=7.5, linespacing=1.25)
    return fig


def fishbone_alt(problem: str, causes: pd.DataFrame, problem_id: str = "") -> str:
    """Alt text: the problem (with its id, as the åtgärdsplan names it) and, per branch, how many
    causes and which (numbers in words)."""
    parts = []
    for branch, side in SIDES.items():
        listed = causes.loc[causes["Gren"] == branch, "Orsak"].tolist()
        if listed:
            noun = "orsak" if len(listed) == 1 else "orsaker"
            parts.append(f"på {side} {number_word(len(listed))} {noun} ({'; '.join(listed)})")
        else:
            parts.append(f"på {side} ingen orsak")
    named = f"{problem_id}, {problem}" if problem_id else problem
    return f"Fiskbensdiagram över orsakerna till problemet {named}: {join_sv(parts)}."
