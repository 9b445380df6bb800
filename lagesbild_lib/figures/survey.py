"""Charts of survey shares (chapter 3): each function returns a matplotlib Figure (never pyplot) and
has an ``*_alt`` companion stating the chart's main finding in Swedish for the alt text.

Every share is drawn with its Wilson 95 % interval as an error bar; shares on fewer than 30
respondents are drawn hollow (and marked in the data table under the chart).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from lagesbild_lib.figures.common import PALETTE, mark_breaks
from lagesbild_lib.analysis.stats import two_proportion_test
from lagesbild_lib.present.fmt import fmt_bounds, fmt_int, fmt_share, fmt_signed_int, rounded
from lagesbild_lib.present.text import count_of, direction, join_sv, number_word

SUB = PALETTE[0]
AREA = PALETTE[1]
CITY = "#555555"
PERCENT = FuncFormatter(lambda v, _: f"{v:.0f} %")


def fmt_pp(diff: float, signed: bool = True) -> str:
    """A difference of shares (0–1) in whole percentage points: ``0.12`` → ``"+12 procentenheter"``."""
    points = rounded(diff, 0, scale=100)  # in decimal, the one rounding rule
    body = fmt_signed_int(points) if signed else fmt_int(abs(points))
    return f"{body} {'procentenhet' if body.lstrip('+−') == '1' else 'procentenheter'}"


def fmt_pp_ci(diff: float, lo: float, hi: float, unit: bool = True) -> str:
    """A difference with its interval: ``"+12 procentenheter (8–16)"``, ``"+2 procentenheter (−3 till 7)"``;
    a bound that rounds to 0 keeps its sign (``"+12 (−0,2 till 24)"``).

    With ``unit=False`` the bare numbers for a table column headed in percentage points: ``"+12 (8–16)"``.
    """
    head = fmt_pp(diff) if unit else fmt_signed_int(rounded(diff, 0, scale=100))
    return f"{head} ({fmt_bounds(lo, hi, 0, scale=100)})"


# --------------------------------------------------------------------------- sub-areas by year


def plot_subarea_years(
    frame: pd.DataFrame, area_id: str, city_id: str | None, title: str, ylabel: str = "Andel", breaks: Sequence[float] = (),
    reference: str = "staden",
) -> Figure:
    """Small multiples: one panel per sub-area with its share per year and 95 % intervals; the
    area's and the city's shares per year drawn as reference lines in every panel.

    Parameters
    ----------
    frame
        :func:`lagesbild_lib.analysis.survey.shares_by_year` output (columns year, area_id, name, share, lo,
        hi, small). Rows of ``area_id`` and ``city_id`` are the reference lines; every other area
        gets a panel. Without sub-areas the area itself gets the one panel.
    area_id, city_id
        The report area and its city (None or equal to ``area_id`` when the area is the city).
    title
        Figure title.
    breaks
        x positions of series breaks (:func:`lagesbild_lib.analysis.breaks.positions`): a dashed
        line in every panel.
    reference
        The city's line in the legend: "staden" or "kommunen" (:mod:`lagesbild_lib.present.reference`).
    """
    city_id = city_id if city_id and city_id != area_id else None
    panels = [a for a in dict.fromkeys(frame["area_id"]) if a not in (area_id, city_id)]
    own_panel = not panels
    if own_panel:
        panels = [area_id]
    years = sorted(int(y) for y in frame["year"].unique())
    ncols = 1 if len(panels) == 1 else (3 if len(panels) <= 12 else 4)
    nrows = math.ceil(len(panels) / ncols)
    width = 4.8 if ncols == 1 else 7.5
    fig = Figure(figsize=(width, 1.75 * nrows + 0.9))
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    top = max(10.0, 100 * float(frame["hi"].max()) * (1.2 if breaks else 1.08))
    area = frame[frame["area_id"] == area_id].sort_values("year")
    city = frame[frame["area_id"] == city_id].sort_values("year") if city_id else frame.iloc[0:0]
    for ax, panel in zip(axes, panels):
        if not own_panel:
            ax.plot(area["year"], 100 * area["share"], "--", color=AREA, linewidth=1.3)
        if len(city):
            ax.plot(city["year"], 100 * city["share"], ":", color=CITY, linewidth=1.5)
        mine = frame[frame["area_id"] == panel].sort_values("year")
        colour = AREA if own_panel else SUB
        err = [100 * (mine["share"] - mine["lo"]), 100 * (mine["hi"] - mine["share"])]
        ax.errorbar(mine["year"], 100 * mine["share"], yerr=err, fmt="none", ecolor=colour, elinewidth=1.2, capsize=2.5)
        for small in (False, True):
            part = mine[mine["small"] == small]
            ax.plot(part["year"], 100 * part["share"], "o", color=colour, markersize=5,
                    markerfacecolor="white" if small else colour, linestyle="none")
        label = str(mine["name"].iloc[0]) if len(mine) else panel
        ax.set_title(label, fontsize=9 if len(label) <= 18 else 7.5)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.set_xticks(years)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        mark_breaks(ax, breaks, fontsize=6)
        ax.tick_params(labelsize=8)
        ax.tick_params(axis="x", rotation=45 if len(years) > 4 else 0)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    handles = [Line2D([], [], marker="o", color=AREA if own_panel else SUB, linestyle="-",
                      label="Delområdets andel (95 % KI)" if not own_panel else "Områdets andel (95 % KI)")]
    if not own_panel:
        handles.append(Line2D([], [], color=AREA, linestyle="--", label="Hela området"))
    if len(city):
        handles.append(Line2D([], [], color=CITY, linestyle=":", label=reference[:1].upper() + reference[1:]))
    if frame["small"].any():
        handles.append(Line2D([], [], marker="o", color="#333333", markerfacecolor="white", linestyle="none",
                              label="färre än 30 svarande"))
    if breaks:
        handles.append(Line2D([], [], color="#505050", linestyle="--", label="Serieuppbrott"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    fig.supylabel(ylabel, fontsize=9)
    fig.tight_layout(rect=(0, 0.06 if nrows > 1 else 0.1, 1, 0.97))
    return fig


def _trend_phrase(series: pd.DataFrame) -> str:
    """The first and last year's shares, with a direction word only when a two-proportion test of
    the two says the change is significant (and it shows in whole percent)."""
    first, last = series.iloc[0], series.iloc[-1]
    if len(series) == 1:
        return f"var andelen {fmt_share(last['share'])} år {int(last['year'])}"
    a, b = fmt_share(first["share"]), fmt_share(last["share"])
    y0, y1 = int(first["year"]), int(last["year"])
    test = two_proportion_test(float(last["share"]), float(last["respondents"]), float(first["share"]), float(first["respondents"]))
    # the direction the reader sees: of the two shares as printed
    shown = rounded(last["share"], 0, scale=100) - rounded(first["share"], 0, scale=100)
    sign = (shown > 0) - (shown < 0)
    if test.significant and sign:
        verb = "ökade" if sign > 0 else "minskade"
        return f"{verb} andelen från {a} år {y0} till {b} år {y1}, en statistiskt säkerställd förändring"
    return f"var andelen {a} år {y0} och {b} år {y1}, ingen statistiskt säkerställd förändring"


def subarea_years_alt(frame: pd.DataFrame, area_id: str, city_id: str | None, area_name: str, what: str, reference: str = "staden") -> str:
    """Alt text: the area's development, the city's, and the highest and lowest sub-area in the last year."""
    frame = frame.reset_index(drop=True)
    area = frame[frame["area_id"] == area_id].sort_values("year")
    parts = [f"Diagram över {what} per år."]
    if len(area):
        parts.append(f"I {area_name} {_trend_phrase(area)}.")
    if city_id and city_id != area_id:
        city = frame[frame["area_id"] == city_id].sort_values("year")
        if len(city):
            parts.append(f"{reference[:1].upper() + reference[1:]}: {fmt_share(city['share'].iloc[-1])} år {int(city['year'].iloc[-1])}.")
    last_year = int(frame["year"].max())
    subs = frame[(frame["year"] == last_year) & ~frame["area_id"].isin([area_id, city_id]) & ~frame["small"].astype(bool)]
    if len(subs) >= 2:
        top = subs.loc[subs["share"].idxmax()]
        low = subs.loc[subs["share"].idxmin()]
        parts.append(
            f"År {last_year} var andelen, bland delområden med minst 30 svarande, högst i {top['name']} ({fmt_share(top['share'])}) "
            f"och lägst i {low['name']} ({fmt_share(low['share'])})."
        )
    return " ".join(parts)


# --------------------------------------------------------------------------- places of worry


def plot_places(area: pd.DataFrame, city: pd.DataFrame | None, area_name: str, city_name: str, title: str) -> Figure:
    """Horizontal bars of the share naming each place, area and city side by side, with 95 % intervals.

    Parameters
    ----------
    area, city
        :func:`lagesbild_lib.analysis.survey.answer_shares` of the area and of the city (None or empty to
        draw the area alone). Places are sorted by the area's share, largest at the top.
    """
    order = list(area["answer"])
    have_city = city is not None and len(city) > 0
    series = [(area_name, area, PALETTE[0])] + ([(city_name, city, PALETTE[4])] if have_city else [])
    height = 0.8 / len(series)
    fig = Figure(figsize=(7.5, 0.55 * len(order) * len(series) ** 0.5 + 1.4))
    ax = fig.subplots()
    top = 0.0
    for k, (label, data, colour) in enumerate(series):
        data = data.set_index("answer").reindex(order)
        ys = [len(order) - 1 - i - (k - (len(series) - 1) / 2) * height for i in range(len(order))]
        err = [100 * (data["share"] - data["lo"]).fillna(0), 100 * (data["hi"] - data["share"]).fillna(0)]
        ax.barh(ys, 100 * data["share"].fillna(0), height=height * 0.95, xerr=err, color=colour,
                ecolor="#333333", capsize=2, label=label, hatch="//" if k else None, edgecolor="white" if not k else "#333333",
                linewidth=0 if not k else 0.4)
        for y, share, hi, small in zip(ys, data["share"], data["hi"], data["small"]):
            if pd.notna(share):
                ax.text(100 * hi + 0.8, y, fmt_share(share) + (" *" if small else ""), va="center", fontsize=7.5)
        top = max(top, 100 * float(data["hi"].max()))
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(list(reversed(order)), fontsize=9)
    ax.set_xlim(0, max(10.0, top * 1.15))
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Andel av de svarande som nämner platsen (95 % konfidensintervall)", fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    fig.tight_layout()
    return fig


def places_alt(table: pd.DataFrame, area_name: str, has_city: bool, reference: str = "staden") -> str:
    """Alt text: the most named place and how many places the area names more often than the city.

    Parameters
    ----------
    table
        Columns answer, share and, when ``has_city``, city_share and city_wording (as in the places table).
    reference
        What the area is compared with: "staden" or "kommunen" (:mod:`lagesbild_lib.present.reference`).
    """
    first = table.iloc[0]
    text = f"Stapeldiagram över oroplatser. Flest i {area_name} nämner {first['answer'].lower()} ({fmt_share(first['share'])})"
    if has_city and pd.notna(first.get("city_share")):
        text += f", i {reference} {fmt_share(first['city_share'])}"
    text += "."
    if has_city:
        higher = [a.lower() for a, w in zip(table["answer"], table["city_wording"]) if w.startswith("högre")]
        lower = [a.lower() for a, w in zip(table["answer"], table["city_wording"]) if w.startswith("lägre")]
        if higher:
            text += f" Statistiskt säkerställt oftare än i {reference}: {join_sv(higher)}."
        if lower:
            text += f" Statistiskt säkerställt mer sällan än i {reference}: {join_sv(lower)}."
        if not higher and not lower:
            text += f" Ingen plats nämns statistiskt säkerställt oftare eller mer sällan än i {reference}."
    return text


# --------------------------------------------------------------------------- women and men


def plot_gaps(gaps: pd.DataFrame, title: str, xlabel: str, reference_ids: tuple[str, ...] = ()) -> Figure:
    """Dot-and-whisker chart of differences between two groups' shares (e.g. women − men) per area.

    Parameters
    ----------
    gaps
        Columns area_id, name, diff, lo, hi (on 0–1, drawn in percentage points), small; drawn top to
        bottom.
    reference_ids
        Areas drawn darker with bold labels (the whole area and the city), below a thin rule.
    """
    data = gaps.iloc[::-1].reset_index(drop=True)
    fig = Figure(figsize=(7.5, 0.38 * len(data) + 1.3))
    ax = fig.subplots()
    ax.axvline(0, color="#333333", linewidth=0.8)
    ys = list(range(len(data)))
    err = [100 * (data["diff"] - data["lo"]), 100 * (data["hi"] - data["diff"])]
    ax.errorbar(100 * data["diff"], ys, xerr=err, fmt="none", ecolor=PALETTE[3], elinewidth=1.3, capsize=2.5)
    ref = [a in reference_ids for a in data["area_id"]]
    for y, d, small, is_ref in zip(ys, data["diff"], data["small"], ref):
        colour = "#333333" if is_ref else PALETTE[3]
        ax.plot([100 * d], [y], "D" if is_ref else "o", color=colour, markerfacecolor="white" if small else colour, markersize=5)
    if any(ref) and not all(ref):
        ax.axhline(max(y for y, r in zip(ys, ref) if r) + 0.5, color="#999999", linewidth=0.6)
    ax.set_yticks(ys)
    ax.set_yticklabels(data["name"], fontsize=8.5)
    for label, is_ref in zip(ax.get_yticklabels(), ref):
        label.set_fontweight("bold" if is_ref else "normal")
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+.0f}".replace("-", "\u2212") if v else "0"))
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def gaps_alt(gaps: pd.DataFrame, area_id: str, area_name: str, group1: str, group2: str, what: str) -> str:
    """Alt text: in how many areas group1 is significantly higher (or lower) than group2, and the
    area's gap with its interval. A direction is claimed only where the test says so."""
    shown = [direction(d, 0, scale=100) for d in gaps["diff"]]
    significant = list(gaps["significant"].astype(bool))
    more = sum(1 for s, sig in zip(shown, significant) if sig and s > 0)
    less = sum(1 for s, sig in zip(shown, significant) if sig and s < 0)
    rest = len(gaps) - more - less
    n = len(gaps)
    text = f"Diagram över skillnaden mellan {group1} och {group2} i {what}. "
    if more or less:
        parts = []
        if more:  # numbers one to twelve in words (DESIGN §9): "i fem av elva områden"
            parts.append(f"högre bland {group1} än bland {group2} i {count_of(more, n, 'område', 'områden')}")
        if less:
            parts.append(f"lägre bland {group1} än bland {group2} i {count_of(less, n, 'område', 'områden')}")
        text += "Andelen är statistiskt säkerställt " + " och ".join(parts)
        if rest:
            others = "i det övriga området" if rest == 1 else f"i övriga {number_word(rest)}"
            text += f"; {others} är skillnaden inte statistiskt säkerställd"
    else:
        text += f"I inget av de {number_word(n)} områdena är skillnaden statistiskt säkerställd"
    own = gaps[gaps["area_id"] == area_id]
    if len(own):
        g = own.iloc[0]
        text += f"; i {area_name} är skillnaden {fmt_pp_ci(g['diff'], g['lo'], g['hi'])}"
    return text + "."

