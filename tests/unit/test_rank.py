"""Rank among peers (issue 16): ties, direction, few peers and the Swedish wording."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lagesbild_lib.analysis.rank import MIN_PEERS, Rank, rank_among, rank_in_siblings, siblings
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.text import level_plural, rank_wording


def test_highest_and_lowest_are_counted_from_their_end():
    top = rank_among(0.40, [0.10, 0.20, 0.30])
    assert (top.from_top, top.from_bottom, top.tied, top.peers) == (1, 4, 0, 4)
    assert (top.end, top.place) == ("högsta", 1)
    low = rank_among(0.05, [0.10, 0.20, 0.30])
    assert (low.end, low.place) == ("lägsta", 1)
    third = rank_among(0.20, [0.10, 0.15, 0.30, 0.40, 0.50, 0.12])
    # exactly in the middle: counted from the top
    assert (third.from_top, third.from_bottom, third.end, third.place) == (4, 4, "högsta", 4)
    assert rank_among(0.30, [0.10, 0.20, 0.35, 0.40, 0.50, 0.12, 0.05]).wording("stadsdelsområden") == (
        "den fjärde högsta av åtta stadsdelsområden"
    )


def test_ties_are_values_as_shown_and_share_a_place():
    # 0.301 and 0.304 both show as 30 %: tied; exact comparison would split them
    shown = rank_among(0.301, [0.304, 0.10, 0.20, 0.50], decimals=0, scale=100)
    assert (shown.from_top, shown.tied, shown.peers) == (2, 1, 5)
    assert shown.wording("stadsdelsområden", what="andelen") == "den andra högsta andelen av fem stadsdelsområden (delad med en annan)"
    exact = rank_among(0.301, [0.304, 0.10, 0.20, 0.50])
    assert (exact.from_top, exact.tied) == (3, 0)
    three_way = rank_among(5.0, [5.0, 5.0, 1.0, 9.0, 7.0])
    assert three_way.tied == 2
    assert "(delad med två andra)" in three_way.wording("kommuner")


def test_missing_values_are_not_peers():
    r = rank_among(0.2, [None, math.nan, 0.1, 0.3])
    assert r.peers == 3


@pytest.mark.parametrize("others, expected", [
    ([], "ingen rangordning (inga andra områden har värden)"),
    ([0.3], "ingen rangordning (bara två kommuner har värden)"),
])
def test_few_peers_give_no_rank(others, expected):
    r = rank_among(0.2, others)
    assert not r.enough
    assert r.peers < MIN_PEERS
    assert r.wording("kommuner") == expected


def test_wording_numbers_in_words_to_twelve_and_digits_beyond():
    assert rank_wording(3, "högsta", 14, "stadsdelsområden") == "den tredje högsta av 14 stadsdelsområden"
    assert rank_wording(1, "lägsta", 12, "stadsdelar") == "den lägsta av tolv stadsdelar"
    assert rank_wording(13, "högsta", 30, "stadsdelar") == "den 13:e högsta av 30 stadsdelar"
    assert rank_wording(2, "lägsta", 5, "kommuner", words=False) == "den andra lägsta av 5 kommuner"
    assert level_plural("stadsdelsomrade") == "stadsdelsområden"
    assert level_plural("okänd-nivå") == "områden"


@pytest.fixture()
def city() -> AreaRegistry:
    return AreaRegistry(pd.DataFrame({
        "area_id": ["stad", "a", "b", "c", "d", "a1", "a2"],
        "name": ["Staden", "A", "B", "C", "D", "A ett", "A två"],
        "level": ["kommun", "stadsdelsomrade", "stadsdelsomrade", "stadsdelsomrade", "stadsdelsomrade", "stadsdel", "stadsdel"],
        "parent_id": [None, "stad", "stad", "stad", "stad", "a", "a"],
    }))


def test_siblings_are_same_level_same_parent(city):
    assert siblings(city, "b") == ["a", "b", "c", "d"]
    assert siblings(city, "a1") == ["a1", "a2"]
    assert siblings(city, "stad") == ["stad"]


def test_rank_in_siblings_skips_areas_without_data(city):
    values = {"a": 10.0, "b": 30.0, "c": 20.0}  # d has no value
    r = rank_in_siblings(city, "c", values)
    assert isinstance(r, Rank)
    assert (r.peers, r.from_top, r.from_bottom) == (3, 2, 2)
    assert rank_in_siblings(city, "d", values) is None
    assert rank_in_siblings(city, "b", lambda a: values.get(a)).wording("stadsdelsområden") == "den högsta av tre stadsdelsområden"


def test_indicator_ranks_compare_whole_population_values_as_shown(city):
    from lagesbild_lib.analysis.rank import indicator_ranks

    rows = [
        # ekonomiskt bistånd, procent with one decimal: 3,14 and 3,06 both show as 3,1 % and tie
        (2023, "a", "bistand", 3.14, "procent", "alla"), (2023, "b", "bistand", 3.06, "procent", "alla"),
        (2023, "c", "bistand", 1.0, "procent", "alla"), (2023, "d", "bistand", 5.0, "procent", "alla"),
        (2023, "b", "bistand", 9.0, "procent", "kvinna"),  # not the whole population: left out
        (2022, "c", "bistand", 9.0, "procent", "alla"),  # another year: left out
        (2023, "a", "inkomst", 300_000, "kr", "alla"), (2023, "b", "inkomst", 310_000, "kr", "alla"),
    ]
    ind = pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "sex"])
    ranks = indicator_ranks(ind, city, "a", 2023)
    bistand = ranks[("bistand", "alla", "")]
    assert (bistand.from_top, bistand.tied, bistand.peers) == (2, 1, 4)
    assert bistand.wording("stadsdelsområden", words=False) == "den andra högsta av 4 stadsdelsområden (delad med en annan)"
    assert not ranks[("inkomst", "alla", "")].enough  # two areas only
    assert ("bistand", "kvinna", "") not in ranks  # a has no row for women
    assert indicator_ranks(ind, city, "a1", 2023) == {}


def test_indicator_ranks_rank_each_group_among_the_same_group(city):
    """A row for a group (background) or a sex is ranked among the siblings' rows of the same group,
    with ties as shown and the number of peers that have the row; too few peers give no rank."""
    from lagesbild_lib.analysis.rank import indicator_ranks

    def row(area, value, group="", sex="alla"):
        return (2023, area, "behorighet", value, "procent", sex, group)

    rows = [
        row("a", 80.0), row("b", 90.0), row("c", 70.0), row("d", 85.0),
        # utländsk bakgrund: a 66,04 and c 65,96 both show as 66,0 %: tied, the lowest of three
        row("a", 66.04, "utländsk bakgrund"), row("b", 75.0, "utländsk bakgrund"), row("c", 65.96, "utländsk bakgrund"),
        # svensk bakgrund: only a and b have it: no rank
        row("a", 90.0, "svensk bakgrund"), row("b", 95.0, "svensk bakgrund"),
        # women: group empty written as NaN is the whole population's group
        row("a", 70.0, float("nan"), "kvinna"), row("b", 60.0, float("nan"), "kvinna"), row("c", 50.0, float("nan"), "kvinna"),
    ]
    ind = pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "sex", "group"])
    ranks = indicator_ranks(ind, city, "a", 2023)
    total, foreign = ranks[("behorighet", "alla", "")], ranks[("behorighet", "alla", "utländsk bakgrund")]
    assert (total.place, total.end, total.peers) == (2, "lägsta", 4)
    assert (foreign.end, foreign.place, foreign.tied, foreign.peers) == ("lägsta", 1, 1, 3)
    assert foreign.wording("stadsdelsområden") == "den lägsta av tre stadsdelsområden (delad med en annan)"
    swedish = ranks[("behorighet", "alla", "svensk bakgrund")]
    assert not swedish.enough and swedish.wording("stadsdelsområden") == "ingen rangordning (bara två stadsdelsområden har värden)"
    women = ranks[("behorighet", "kvinna", "")]
    assert (women.place, women.end, women.peers) == (1, "högsta", 3)
