"""Programme ratings (``programme_ratings``, e.g. GSRS) per group: each group's mean rating with
its number of ratings and a t-based 95 % interval for the mean, the group shown by its name.

``programme_ratings`` has one row per rating (DESIGN §6); an area's ratings are those of the area
and every area below it. Pure functions of DataFrames; nothing here reads files or draws.
"""

from __future__ import annotations

import math

import pandas as pd

from lagesbild_lib.analysis.priority import exact_mean
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.text import _sv_key

#: A group mean on fewer ratings than this is flagged as uncertain ("få skattningar").
FEW_RATINGS = 5
#: The label of the row for all groups of a programme together.
ALL_GROUPS = "Alla grupper"
#: The contract's rating scale; an interval is cut to it (a mean cannot lie outside it).
SCALE = (1.0, 10.0)
COLUMNS = ["programme", "group_id", "group", "n", "mean", "lo", "hi", "few"]


def mean_interval(scores, level: float = 0.95) -> tuple[float, float]:
    """The t-based interval for the mean of ``scores``: mean ± t(n−1) · s / √n, cut to the scale
    1–10; (NaN, NaN) for fewer than two scores (no spread to estimate).

    The interval treats the ratings as independent; ratings by the same participant at several
    sessions are not, and make the true uncertainty larger (the chart's note says so).
    """
    from scipy import stats

    values = [float(v) for v in scores]
    n = len(values)
    if n < 2:
        return math.nan, math.nan
    mean = exact_mean(values)
    sd = float(pd.Series(values).std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return max(SCALE[0], mean - half), min(SCALE[1], mean + half)


def group_labels(part: pd.DataFrame) -> dict[str, str]:
    """Each ``group_id`` of one programme's ratings → the name the reader sees: its ``group_name``
    (the first non-empty one; the data check makes them agree), else the id itself. Two groups
    with the same name are told apart by their ids in parentheses."""
    names: dict[str, str] = {}
    has_names = "group_name" in part.columns
    for group, rows in part.groupby("group_id", sort=True):
        given = rows["group_name"].dropna().astype(str).str.strip() if has_names else pd.Series(dtype=str)
        given = given[given != ""]
        names[str(group)] = str(given.iloc[0]) if len(given) else str(group)
    seen = pd.Series(list(names.values())).value_counts()
    return {g: (f"{n} ({g})" if seen[n] > 1 and n != g else n) for g, n in names.items()}


def group_means(ratings: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.DataFrame:
    """Mean rating per programme and group for an area and year.

    Parameters
    ----------
    ratings
        The ``programme_ratings`` table (all areas and years); ``group_name`` is optional.
    registry, area_id
        The area: its own ratings and those of every area below it.
    year
        The report year.

    Returns
    -------
    DataFrame with columns programme, group_id, group (the name shown), n (number of ratings),
    mean, lo, hi (the 95 % interval for the mean, NaN with one rating), few (n below
    :data:`FEW_RATINGS`): per programme (sorted), its groups by name, then a row for all its
    groups together (group_id "", group :data:`ALL_GROUPS`, no interval: the ratings of one group
    are not independent of each other). Empty when the area has no ratings that year.
    """
    part = ratings[(ratings["year"] == year) & ratings["area_id"].isin(registry.descendants(area_id))]
    rows = []
    for programme, prog in part.groupby("programme", sort=True):
        labels = group_labels(prog)
        groups = []
        for group, grp in prog.groupby("group_id", sort=True):
            lo, hi = mean_interval(grp["score"])
            groups.append([programme, str(group), labels[str(group)], len(grp), exact_mean(grp["score"]), lo, hi, len(grp) < FEW_RATINGS])
        rows += sorted(groups, key=lambda r: _sv_key(r[2]))
        rows.append([programme, "", ALL_GROUPS, len(prog), exact_mean(prog["score"]), math.nan, math.nan, False])
    return pd.DataFrame(rows, columns=COLUMNS)
