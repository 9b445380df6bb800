"""Reported crimes per 1 000 inhabitants of an area, its city and its sibling areas (issue 16): the
headline rate of chapter 2 beside the city's, with the area's rank among its siblings.

A crime belongs to its area and every ancestor (DESIGN §6), so the count of a sibling or of the
city is the number of crimes reported in it or in any area below it. Nothing here reads files.
"""

from __future__ import annotations

import math

import pandas as pd

from lagesbild_lib.analysis.rank import Rank, rank_among
from lagesbild_lib.data.areas import AreaRegistry

PER = 1000
#: Decimals of a rate per 1 000 as the report shows it (and as the rank compares it).
DECIMALS = 1


def counts_in(crimes: pd.DataFrame, registry: AreaRegistry, area_ids: list[str], categories: list[str] | None = None) -> dict[str, int]:
    """Crimes of ``crimes`` (already cut to the period) in each area or below it, only of
    ``categories`` when given."""
    if categories is not None:
        crimes = crimes[crimes["category"].isin(categories)]
    by_area = crimes["area_id"].astype(str).value_counts()
    return {a: int(by_area.reindex(list(registry.descendants(a))).fillna(0).sum()) for a in area_ids}


def counts_from_table(counts: pd.DataFrame, registry: AreaRegistry, area_ids: list[str], year: int, end_month: int,
                      categories: list[str] | None = None) -> dict[str, int | None]:
    """The same from ``crime_counts`` (whole months 1–``end_month`` of ``year``): each area's own
    rows, else the sum of its children's (the rule of the crime chapter); None where the table
    cannot answer (no rows, or only a yearly count for part of a year)."""
    from lagesbild_lib.analysis.peers import period_counts

    rows = counts if categories is None else counts[counts["category"].isin(categories)]
    found = period_counts(rows, None, registry, area_ids, [year], end_month)[year]
    return {a: None if pd.isna(v) else int(v) for a, v in found.items()}


def rate(count: int | None, population: int | None) -> float:
    """Crimes per 1 000 inhabitants (NaN without a count or a population)."""
    if count is None or not population:
        return float("nan")
    return PER * count / population


def rank_of(rates: dict[str, float], area_id: str) -> Rank | None:
    """The area's rank among the others of ``rates`` that have a rate, compared as shown (one
    decimal); None when the area has no rate."""
    mine = rates.get(area_id, float("nan"))
    if math.isnan(mine):
        return None
    return rank_among(mine, [v for a, v in rates.items() if a != area_id], decimals=DECIMALS)
