"""Rank of an area among its peers (issue 16): "den tredje högsta av 13 stadsdelsområden".

Every comparison of an area with its city can also say where the area stands among the city's
other areas of the same level (its siblings). A rank is counted on the values as the reader sees
them (rounded), so two areas shown with the same share are tied, and a rank among fewer than
:data:`MIN_PEERS` areas is not given (with two areas "the second highest" is only "the lowest").

Functions take plain values or the area registry; none reads files or draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import rounded
from lagesbild_lib.present.text import rank_wording

#: The fewest areas (the area itself included) among which a rank is stated.
MIN_PEERS = 3


@dataclass(frozen=True)
class Rank:
    """Where a value stands among its peers.

    Attributes
    ----------
    from_top
        1 + the number of peers with a higher (shown) value: 1 is the highest.
    from_bottom
        1 + the number of peers with a lower (shown) value: 1 is the lowest.
    tied
        The number of *other* peers with the same shown value.
    peers
        The number of areas ranked, the area itself included.
    """

    from_top: int
    from_bottom: int
    tied: int
    peers: int

    @property
    def enough(self) -> bool:
        """Enough areas for a rank to say something (:data:`MIN_PEERS`)."""
        return self.peers >= MIN_PEERS

    @property
    def end(self) -> str:
        """Counted from the nearer end: ``"högsta"`` (ties go to the top) or ``"lägsta"``."""
        return "högsta" if self.from_top <= self.from_bottom else "lägsta"

    @property
    def place(self) -> int:
        """The place counted from :attr:`end` (1 = the highest or the lowest)."""
        return min(self.from_top, self.from_bottom)

    def wording(self, noun: str, what: str = "", words: bool = True) -> str:
        """In Swedish: :func:`lagesbild_lib.present.text.rank_wording` (``words=False`` in tables)."""
        return rank_wording(self.place, self.end, self.peers, noun, tied=self.tied, what=what, words=words)


def rank_among(value: float, others: Iterable[float], decimals: int | None = None, scale: float = 1) -> Rank:
    """Rank ``value`` among ``others`` (the peers' values, the area's own left out).

    Parameters
    ----------
    value
        The area's value.
    others
        The peers' values; NaN and None (no data) are left out.
    decimals, scale
        Compare ``value × scale`` rounded to ``decimals`` decimals, as the reader sees the values
        (a share shown in whole percent: ``decimals=0, scale=100``); None compares exact values.

    Returns
    -------
    Rank
    """
    def shown(x: float):
        return float(rounded(x, decimals, scale)) if decimals is not None else float(x)

    mine = shown(value)
    rest = [shown(x) for x in others if x is not None and not (isinstance(x, float) and math.isnan(x))]
    higher = sum(x > mine for x in rest)
    lower = sum(x < mine for x in rest)
    return Rank(1 + higher, 1 + lower, len(rest) - higher - lower, len(rest) + 1)


def siblings(registry: AreaRegistry, area_id: str) -> list[str]:
    """The areas of the same level under the same parent (the area itself included), by name;
    ``[area_id]`` for an area at the top."""
    parent = registry.get(area_id).parent_id
    if parent is None:
        return [area_id]
    level = registry.get(area_id).level
    return [a for a in registry.children(parent) if registry.get(a).level == level]


def rank_in_siblings(
    registry: AreaRegistry, area_id: str, value_of: Callable[[str], float | None] | Mapping[str, float],
    decimals: int | None = None, scale: float = 1,
) -> Rank | None:
    """Rank of an area's value among its siblings that have a value.

    Parameters
    ----------
    value_of
        A function from area id to its value (None without data), or a mapping.
    decimals, scale
        As in :func:`rank_among`.

    Returns
    -------
    Rank, or None when the area itself has no value.
    """
    get = value_of.get if isinstance(value_of, Mapping) else value_of
    mine = get(area_id)
    if mine is None:
        return None
    others = [get(a) for a in siblings(registry, area_id) if a != area_id]
    return rank_among(mine, others, decimals, scale)


def indicator_ranks(indicators, registry: AreaRegistry, area_id: str, year: int,
                    peers: Iterable[str] | None = None) -> dict[tuple[str, str, str], Rank]:
    """Rank of each of the area's indicator rows of ``year`` among its siblings (or ``peers``: a
    kommun's kommungrupp) with a value of the same row (same indicator, sex and group), compared
    as shown (the unit's decimals).

    Returns
    -------
    dict
        (indicator, sex, group) → :class:`Rank`, sex ``alla`` and group ``""`` for the whole
        population (as in :func:`~lagesbild_lib.analysis.indicators.indicator_comparison`); rows
        the area has no value for are left out.
    """
    from lagesbild_lib.analysis.indicators import DECIMALS, _group, _sex

    rows = indicators.assign(k_sex=_sex(indicators), k_group=_group(indicators))
    among = siblings(registry, area_id) if peers is None else [area_id, *peers]
    rows = rows[(rows["year"] == year) & rows["area_id"].isin(among)]
    out = {}
    for key, part in rows.groupby(["indicator", "k_sex", "k_group"], sort=True):
        values = part.groupby("area_id")["value"].first()
        if area_id not in values.index or pd.isna(values[area_id]):
            continue
        unit = str(part["unit"].iloc[0])
        out[tuple(str(k) for k in key)] = rank_among(
            float(values[area_id]), [float(v) for a, v in values.items() if a != area_id], decimals=DECIMALS.get(unit, 1))
    return out
