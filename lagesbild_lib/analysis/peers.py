"""The area against its peers: reported crimes per 100 000 inhabitants over the years, with the
middle half of the peer group as a band, and a funnel plot of the report year.

Who the peers are (DESIGN §6):

- an area below a kommun (a stadsdelsområde) is compared with the other areas of the same level
  under the same parent (the city's other stadsdelsområden) and with the parent itself (the city);
- a kommun is compared with riket and its län (areas of level ``riket`` and ``lan``) and with its
  kommungrupp (table ``kommungrupp``: kommun → SKR group, for a year); its peer group is the other
  kommuner of its kommungrupp, or without one the other kommuner of its län.

Counts: an area's crimes are its ``crime_counts`` rows (its own, else its children's, DESIGN §6),
else its row-level ``crimes`` (the area and every area below it). Every year covers the same span,
1 January to the end of the last whole month of the period (monthly counts cannot be cut within a
month); yearly counts answer only a whole-year period. A rate is crimes per 100 000 inhabitants of
the same year (the latest earlier year when that year's population is missing).

Funnel plot: the target is the pooled rate of every area in the plot; the control limits for an
area of population ``n`` are the exact Poisson limits around the expected count ``E = target × n``
(lower ``χ²(α/2; 2E)/2``, upper ``χ²(1−α/2; 2E+2)/2``) for α = 5 % and 0,2 %, as rates. An area
whose count lies outside the 95 % limits differs significantly from the group as a whole.

Functions take DataFrames and return numbers or DataFrames; nothing here reads files or draws.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from lagesbild_lib.analysis.crime_counts import whole_months_end
from lagesbild_lib.analysis.population import population_year
from lagesbild_lib.data.areas import AreaRegistry

PER = 100_000
#: Two-sided levels of the funnel's control limits: 95 % and 99,8 %.
ALPHA_95 = 0.05
ALPHA_998 = 0.002
#: Fewest peers for a band or a funnel plot.
MIN_PEERS = 3
#: Years shown in the comparison over time (the last ones up to the report year).
MAX_YEARS = 10
#: Level names in the plural, for "övriga stadsdelsområden".
LEVEL_PLURAL = {
    "kommun": "kommuner", "stadsdelsomrade": "stadsdelsområden", "stadsdel": "stadsdelar", "delomrade": "delområden",
    "regso": "RegSO-områden", "deso": "DeSO-områden", "lan": "län",
}
#: Where the area lies against the funnel's limits.
POSITIONS = ("under_998", "under_95", "inside", "over_95", "over_998")


@dataclass(frozen=True)
class Reference:
    """A line in the comparison: one area, or a group of areas pooled (a kommungrupp)."""

    label: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class PeerGroup:
    """The report's area, its peers and the reference lines it is compared with.

    ``description`` names the peers as they read after "av" / "bland": "övriga stadsdelsområden i
    Stockholm"; ``whole`` the peers and the area together: "alla stadsdelsområden i Stockholm".
    """

    area_id: str
    peers: tuple[str, ...]
    references: tuple[Reference, ...]
    description: str
    whole: str


def _areas_of_level(registry: AreaRegistry, level: str) -> list[str]:
    return [a for a in registry.ids if registry.get(a).level == level]


def _ancestor_of_level(registry: AreaRegistry, area_id: str, level: str) -> str | None:
    return next((a for a in registry.ancestors(area_id) if registry.get(a).level == level), None)


def kommungrupp_of(table: pd.DataFrame | None, area_id: str, year: int) -> tuple[str, list[str]] | None:
    """The kommun's SKR group and the kommuner in it, by the grouping of the latest year up to
    ``year`` (the earliest one when all are later); None when the table does not place the kommun."""
    if table is None or table.empty:
        return None
    years = sorted(int(y) for y in table["year"].unique())
    use = max((y for y in years if y <= year), default=years[0])
    rows = table[table["year"] == use]
    own = rows.loc[rows["area_id"] == area_id, "kommungrupp"]
    if own.empty:
        return None
    group = str(own.iloc[0])
    return group, sorted(str(a) for a in rows.loc[rows["kommungrupp"] == group, "area_id"])


def peer_group(registry: AreaRegistry, area_id: str, kommungrupp: pd.DataFrame | None = None, year: int = 0) -> PeerGroup | None:
    """Who ``area_id`` is compared with (see the module docstring); None when it has no peers.

    Parameters
    ----------
    registry
        The area registry.
    area_id
        The report's area.
    kommungrupp
        The ``kommungrupp`` table (area_id, kommungrupp, year), or None.
    year
        The report's year (which year's grouping applies).
    """
    area = registry.get(area_id)
    if area.level != "kommun":
        if area.parent_id is None:
            return None
        parent = registry.get(area.parent_id)
        peers = tuple(a for a in registry.children(parent.area_id) if a != area_id and registry.get(a).level == area.level)
        plural = LEVEL_PLURAL.get(area.level, "områden")
        return PeerGroup(
            area_id, peers, (Reference(parent.name, (parent.area_id,)),), f"övriga {plural} i {parent.name}", f"alla {plural} i {parent.name}"
        )
    references = []
    riket = _ancestor_of_level(registry, area_id, "riket") or next(iter(_areas_of_level(registry, "riket")), None)
    if riket:
        references.append(Reference(registry.name(riket), (riket,)))
    lan = _ancestor_of_level(registry, area_id, "lan")
    if lan:
        references.append(Reference(registry.name(lan), (lan,)))
    group = kommungrupp_of(kommungrupp, area_id, year)
    if group is not None:
        name, members = group
        members = [m for m in members if m in registry]
        references.append(Reference(f"Kommungruppen {name}", tuple(members)))
        peers = tuple(m for m in members if m != area_id)
        description, whole = f"övriga kommuner i kommungruppen {name}", f"alla kommuner i kommungruppen {name}"
    elif lan:
        peers = tuple(a for a in registry.descendants(lan, include_self=False) if a != area_id and registry.get(a).level == "kommun")
        description, whole = f"övriga kommuner i {registry.name(lan)}", f"alla kommuner i {registry.name(lan)}"
    else:
        return None
    return PeerGroup(area_id, peers, tuple(references), description, whole)


def counted_end(report_year: int, period_end: dt.date) -> tuple[int, int] | None:
    """(month, day) of the last day counted in every year: the end of the last whole month of
    the period (None when the period ends before the end of January)."""
    end = whole_months_end(report_year, period_end)
    return None if end is None else (end.month, end.day)


def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])


class _CountRows:
    """The rows of ``crime_counts`` that make up each area's figures (its own, else its children's,
    recursively: the rule of :func:`~lagesbild_lib.analysis.crime_counts.area_counts`), with the
    table grouped by area once instead of filtered per area."""

    def __init__(self, counts: pd.DataFrame | None, registry: AreaRegistry):
        self.registry = registry
        self.by_area = {} if counts is None or counts.empty else {str(a): g for a, g in counts.groupby("area_id", sort=False)}

    def parts(self, area_id: str) -> list[pd.DataFrame]:
        own = self.by_area.get(area_id)
        if own is not None:
            return [own]
        return [part for child in self.registry.children(area_id) for part in self.parts(child)]


def areas_without_counts(counts: pd.DataFrame | None, registry: AreaRegistry, area_ids: list[str]) -> list[str]:
    """The areas that ``crime_counts`` has no rows for (themselves or below): counted from ``crimes``."""
    rows = _CountRows(counts, registry)
    return [a for a in area_ids if not rows.parts(a)]


def period_counts(
    counts: pd.DataFrame | None, crimes: pd.DataFrame | None, registry: AreaRegistry, area_ids: list[str], years: list[int],
    end_month: int,
) -> pd.DataFrame:
    """Reported crimes of each area in 1 January – end of ``end_month`` of each year.

    Returns
    -------
    DataFrame, index the area ids, columns the years; NaN where the data cannot answer (no rows,
    or only a yearly count for a period shorter than the year).
    """
    out = pd.DataFrame(np.nan, index=pd.Index(list(area_ids), name="area_id"), columns=list(years), dtype=float)
    found = _CountRows(counts, registry)
    for area_id in area_ids:
        parts = found.parts(area_id)
        if parts:
            rows = pd.concat(parts)
            month = rows["month"] if "month" in rows.columns else pd.Series(np.nan, index=rows.index)
            for year in years:
                in_year = (rows["year"] == year).to_numpy()
                if not in_year.any() or (month[in_year].isna().any() and end_month != 12):
                    continue  # no rows, or a yearly count, which cannot answer part of a year
                keep = in_year & (month.isna() | (month <= end_month)).to_numpy()
                out.loc[area_id, year] = float(rows.loc[keep, "count"].sum())
        elif crimes is not None:
            mine = crimes[crimes["area_id"].isin(registry.descendants(area_id))]["reported_date"]
            for year in years:
                inside = (mine >= pd.Timestamp(year, 1, 1)) & (mine <= _month_end(year, end_month))
                out.loc[area_id, year] = float(inside.sum())
    return out


def _own_totals(population: pd.DataFrame) -> dict[tuple[int, str], int]:
    """Each area's own total per year: per age group its ``alla`` rows where it has them, else
    kvinna + man (``alla`` is never added to them, DESIGN §6)."""
    keys = ["year", "area_id", "age_group"]
    alla = population[population["sex"] == "alla"].groupby(keys)["count"].sum()
    split = population[population["sex"] != "alla"].groupby(keys)["count"].sum()
    by_age = alla.combine_first(split)
    return {(int(y), str(a)): int(v) for (y, a), v in by_age.groupby(level=[0, 1]).sum().items()}


def populations(population: pd.DataFrame | None, registry: AreaRegistry, area_ids: list[str], years: list[int]) -> pd.DataFrame:
    """Population of each area in each year (the latest earlier year's where a year is missing):
    its own rows, else the sum of its sub-areas' (as :func:`~lagesbild_lib.analysis.population.population_total`);
    NaN when none."""
    out = pd.DataFrame(np.nan, index=pd.Index(list(area_ids), name="area_id"), columns=list(years), dtype=float)
    if population is None or population.empty:
        return out
    own = _own_totals(population)

    def total(area_id: str, year: int) -> int | None:
        if (year, area_id) in own:
            return own[(year, area_id)]
        parts = [t for t in (total(c, year) for c in registry.children(area_id)) if t is not None]
        return sum(parts) if parts else None

    for year in years:
        used = population_year(population, year)
        if used is None:
            continue
        for area_id in area_ids:
            found = total(area_id, used)
            if found:
                out.loc[area_id, year] = float(found)
    return out


def rates(counts: pd.DataFrame, pops: pd.DataFrame) -> pd.DataFrame:
    """Crimes per 100 000 inhabitants, same shape as ``counts`` (NaN where either is missing or the population is 0)."""
    return counts / pops.where(pops > 0) * PER


def pooled_rate(counts: pd.DataFrame, pops: pd.DataFrame, members: tuple[str, ...] | list[str]) -> pd.Series:
    """The rate of several areas taken together, per year: their crimes over their population
    (NaN in a year where any member lacks either)."""
    c, p = counts.loc[list(members)], pops.loc[list(members)]
    complete = c.notna().all() & p.notna().all() & (p.sum() > 0)
    return (c.sum() / p.sum() * PER).where(complete)


def middle_band(peer_rates: pd.DataFrame) -> pd.DataFrame:
    """The middle half of the peers' rates per year: lower and upper quartile (numpy's linear
    interpolation between order statistics) and how many peers had a rate.

    Returns
    -------
    DataFrame indexed by year with columns ``q1``, ``q3``, ``n``; a year with fewer than
    :data:`MIN_PEERS` rates has NaN quartiles.
    """
    rows = {}
    for year in peer_rates.columns:
        values = peer_rates[year].dropna().to_numpy(dtype=float)
        if len(values) >= MIN_PEERS:
            q1, q3 = np.percentile(values, [25, 75])
        else:
            q1 = q3 = math.nan
        rows[year] = {"q1": float(q1), "q3": float(q3), "n": len(values)}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["q1", "q3", "n"])
    frame.index.name = "year"
    return frame


def band_position(rate: float, q1: float, q3: float) -> str:
    """``"under"``, ``"inom"`` or ``"över"`` the middle band (its ends belong to it)."""
    if rate < q1:
        return "under"
    if rate > q3:
        return "över"
    return "inom"


def poisson_limits(expected: float, alpha: float) -> tuple[float, float]:
    """Exact Poisson control limits for a count whose expected value is ``expected``: lower
    ``χ²(α/2; 2E)/2`` (0 when E is 0) and upper ``χ²(1−α/2; 2E+2)/2``."""
    if expected < 0 or not math.isfinite(expected):
        raise ValueError(f"expected must be a finite number ≥ 0, got {expected!r}")
    lower = float(sps.chi2.ppf(alpha / 2, 2 * expected) / 2) if expected > 0 else 0.0
    upper = float(sps.chi2.ppf(1 - alpha / 2, 2 * expected + 2) / 2)
    return lower, upper


def rate_limits(target: float, population: float, alpha: float) -> tuple[float, float]:
    """The funnel's limits as rates per 100 000 for an area of ``population`` around ``target`` (per 100 000)."""
    lower, upper = poisson_limits(target * population / PER, alpha)
    return lower / population * PER, upper / population * PER


def position(count: float, lo998: float, lo95: float, hi95: float, hi998: float) -> str:
    """Where a count lies against the limits (one of :data:`POSITIONS`)."""
    if count > hi998:
        return "over_998"
    if count > hi95:
        return "over_95"
    if count < lo998:
        return "under_998"
    if count < lo95:
        return "under_95"
    return "inside"


@dataclass(frozen=True)
class Funnel:
    """The funnel plot of one year: the areas' points with their limits, and the target."""

    year: int
    target: float  # pooled rate of every area in the plot, per 100 000
    table: pd.DataFrame  # area_id, count, population, rate, lo998, lo95, hi95, hi998, position
    area_id: str

    @property
    def area(self) -> pd.Series:
        return self.table.set_index("area_id").loc[self.area_id]

    def curve(self, points: int = 200) -> pd.DataFrame:
        """The limits as smooth curves over the populations of the plot (for drawing)."""
        low, high = self.table["population"].min(), self.table["population"].max()
        ns = np.geomspace(max(low * 0.7, 1.0), high * 1.3, points)
        rows = []
        for n in ns:
            lo998, hi998 = rate_limits(self.target, n, ALPHA_998)
            lo95, hi95 = rate_limits(self.target, n, ALPHA_95)
            rows.append((n, lo998, lo95, hi95, hi998))
        return pd.DataFrame(rows, columns=["population", "lo998", "lo95", "hi95", "hi998"])


def funnel(counts: pd.Series, pops: pd.Series, area_id: str, year: int) -> Funnel | None:
    """The funnel plot of ``year`` for the areas of ``counts`` (area → count) and ``pops`` (area →
    population); the areas lacking either are left out. None when the report's area is left out
    or fewer than :data:`MIN_PEERS` others remain."""
    frame = pd.DataFrame({"count": counts, "population": pops}).dropna()
    frame = frame[frame["population"] > 0]
    if area_id not in frame.index or len(frame) - 1 < MIN_PEERS:
        return None
    target = float(frame["count"].sum() / frame["population"].sum() * PER)
    rows = []
    for aid, row in frame.iterrows():
        n, observed = float(row["population"]), float(row["count"])
        lo998, hi998 = poisson_limits(target * n / PER, ALPHA_998)
        lo95, hi95 = poisson_limits(target * n / PER, ALPHA_95)
        rows.append({
            "area_id": aid, "count": int(observed), "population": int(n), "rate": observed / n * PER,
            "lo998": lo998 / n * PER, "lo95": lo95 / n * PER, "hi95": hi95 / n * PER, "hi998": hi998 / n * PER,
            "position": position(observed, lo998, lo95, hi95, hi998),
        })
    return Funnel(year, target, pd.DataFrame(rows), area_id)
