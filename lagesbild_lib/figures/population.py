"""The population chart of chapter 1: women and men per age group, and its alt text."""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis.population import SEX_LABELS, age_label


def plot_population_by_age_sex(frame: pd.DataFrame, title: str):
    """Horizontal bars of population per age group, side by side for women and men.

    Parameters
    ----------
    frame
        From :func:`population_by_age_sex`.
    title
        The chart title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from lagesbild_lib.figures.common import PALETTE
    from lagesbild_lib.present.fmt import fmt_int

    labels = [age_label(a) for a in frame.index]
    fig = Figure(figsize=(7.0, 0.38 * len(frame) * max(1, len(frame.columns)) + 1.3))
    ax = fig.subplots()
    columns = list(frame.columns)
    height = 0.8 / len(columns)
    hatches = ("", "//", "..")
    for i, column in enumerate(columns):
        positions = [y + (i - (len(columns) - 1) / 2) * height for y in range(len(frame))]
        values = frame[column].tolist()
        ax.barh(positions, values, height=height * 0.95, color=PALETTE[i], hatch=hatches[i % 3], edgecolor="white",
                label=SEX_LABELS.get(column, column))
        for y, v in zip(positions, values):
            ax.text(v, y, " " + fmt_int(v), va="center", ha="left", fontsize=8)
    ax.set_yticks(range(len(frame)), labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(int(v))))
    ax.set_xlim(0, frame.to_numpy().max() * 1.18 if frame.size else 1)
    ax.set_xlabel("Antal invånare")
    ax.set_title(title)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(columns) > 1:
        ax.legend(frameon=False, loc="lower right")
    return fig


def population_by_age_sex_alt(frame: pd.DataFrame, area_name: str, year: int) -> str:
    """Alt text: the largest age group and the split between women and men in it."""
    from lagesbild_lib.present.fmt import fmt_int

    totals = frame.sum(axis=1)
    top = totals.idxmax()
    text = (
        f"Stapeldiagram över befolkningen i {area_name} {year} efter ålder"
        + (" och kön" if "kvinna" in frame.columns else "")
        + f": den största åldersgruppen är {age_label(top)} med {fmt_int(totals[top])} invånare"
    )
    if "kvinna" in frame.columns:
        text += f" ({fmt_int(frame.loc[top, 'kvinna'])} kvinnor och {fmt_int(frame.loc[top, 'man'])} män)"
    parts = [f"{age_label(a)} {fmt_int(v)}" for a, v in totals.items() if a != top]
    if parts:
        from lagesbild_lib.present.text import join_sv

        text += f"; övriga grupper: {join_sv(parts)}"
    return text + "."
