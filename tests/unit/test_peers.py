"""The area against its peers: funnel limits against a hand computation, the middle-50 % band,
who the peers are, the counts per period and the sentence on lying outside the limits."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as sps

from lagesbild_lib.analysis import peers as an
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.demo.world import PEER_KOMMUNER
from lagesbild_lib.sections.peers import funnel_sentence


def registry(rows) -> AreaRegistry:
    return AreaRegistry(pd.DataFrame(rows, columns=["area_id", "name", "level", "parent_id"]))


# ------------------------------------------------------------------------- funnel limits
def test_exact_poisson_limits_match_the_printed_table_for_four_cases():
    """The exact 95 % Poisson interval for 4 observed cases is 1,090–10,242 (Garwood's table)."""
    lower, upper = an.poisson_limits(4, an.ALPHA_95)
    assert lower == pytest.approx(1.0899, abs=5e-4)
    assert upper == pytest.approx(10.2416, abs=5e-4)


@pytest.mark.parametrize("expected", [1, 7, 100, 3585])
@pytest.mark.parametrize("alpha", [an.ALPHA_95, an.ALPHA_998])
def test_limits_leave_alpha_half_in_each_tail(expected, alpha):
    """By hand: the upper limit U is the mean at which seeing E or fewer has probability α/2, the
    lower limit L the mean at which seeing E or more has probability α/2."""
    lower, upper = an.poisson_limits(expected, alpha)
    assert sps.poisson.cdf(expected, upper) == pytest.approx(alpha / 2, rel=1e-6)
    assert sps.poisson.sf(expected - 1, lower) == pytest.approx(alpha / 2, rel=1e-6)
    assert lower < expected < upper


def test_limits_widen_with_the_level_and_narrow_as_rates_with_population():
    lo95, hi95 = an.rate_limits(4000.0, 50_000, an.ALPHA_95)
    lo998, hi998 = an.rate_limits(4000.0, 50_000, an.ALPHA_998)
    assert lo998 < lo95 < 4000 < hi95 < hi998
    big_lo, big_hi = an.rate_limits(4000.0, 500_000, an.ALPHA_95)
    assert lo95 < big_lo and big_hi < hi95
    # rates are the count limits over the population, per 100 000
    count_lo, count_hi = an.poisson_limits(4000.0 * 50_000 / 100_000, an.ALPHA_95)
    assert (lo95, hi95) == pytest.approx((count_lo / 50_000 * 100_000, count_hi / 50_000 * 100_000))


def test_zero_expected_has_lower_limit_zero_and_bad_input_is_refused():
    assert an.poisson_limits(0, an.ALPHA_95) == (0.0, pytest.approx(-math.log(0.025)))
    with pytest.raises(ValueError):
        an.poisson_limits(-1, an.ALPHA_95)


def test_funnel_target_is_the_pooled_rate_and_a_planted_outlier_lies_outside():
    pops = pd.Series({"a": 10_000, "b": 20_000, "c": 30_000, "d": 40_000, "hot": 20_000})
    counts = pd.Series({"a": 500, "b": 1000, "c": 1500, "d": 2000, "hot": 1300})
    fun = an.funnel(counts, pops, "hot", 2023)
    assert fun.target == pytest.approx(6300 / 120_000 * 100_000)
    row = fun.area
    assert row["rate"] == pytest.approx(6500.0)
    expected = fun.target * 20_000 / 100_000  # 1 050 expected, 1 300 seen
    lo, hi = an.poisson_limits(expected, an.ALPHA_998)
    assert row["lo998"] == pytest.approx(lo / 20_000 * 100_000)
    assert row["hi998"] == pytest.approx(hi / 20_000 * 100_000)
    assert row["position"] == "over_998"
    assert set(fun.table.set_index("area_id").loc[["a", "b", "c", "d"], "position"]) <= {"inside", "under_95", "under_998"}


def test_position_classes():
    assert an.position(100, 80, 85, 115, 120) == "inside"
    assert an.position(117, 80, 85, 115, 120) == "over_95"
    assert an.position(121, 80, 85, 115, 120) == "over_998"
    assert an.position(83, 80, 85, 115, 120) == "under_95"
    assert an.position(79, 80, 85, 115, 120) == "under_998"


def test_funnel_needs_the_area_and_three_others():
    pops = pd.Series({"a": 1000, "b": 1000, "me": 1000})
    counts = pd.Series({"a": 10, "b": 12, "me": 11})
    assert an.funnel(counts, pops, "me", 2023) is None
    assert an.funnel(counts, pops, "x", 2023) is None


# ------------------------------------------------------------------------- the band
def test_middle_band_is_the_quartiles_by_hand():
    rates = pd.DataFrame({2022: [10.0, 20.0, 30.0, 40.0], 2023: [5.0, 1.0, math.nan, 3.0]}, index=list("abcd"))
    band = an.middle_band(rates)
    # 2022: positions (4 − 1) × 0,25 = 0,75 and × 0,75 = 2,25 → 10 + 0,75 × 10 and 30 + 0,25 × 10
    assert band.loc[2022, "q1"] == pytest.approx(17.5)
    assert band.loc[2022, "q3"] == pytest.approx(32.5)
    # 2023: three rates 1, 3, 5 → 2 and 4
    assert (band.loc[2023, "q1"], band.loc[2023, "q3"], band.loc[2023, "n"]) == (pytest.approx(2.0), pytest.approx(4.0), 3)
    few = an.middle_band(pd.DataFrame({2023: [1.0, 2.0]}))
    assert math.isnan(few.loc[2023, "q1"]) and few.loc[2023, "n"] == 2


def test_band_position():
    assert an.band_position(5, 2, 4) == "över"
    assert an.band_position(1, 2, 4) == "under"
    assert an.band_position(4, 2, 4) == "inom"


# ------------------------------------------------------------------------- peers, counts, rates
CITY = [
    ("stad", "Staden", "kommun", ""),
    ("norr", "Norr", "stadsdelsomrade", "stad"), ("soder", "Söder", "stadsdelsomrade", "stad"),
    ("vaster", "Väster", "stadsdelsomrade", "stad"), ("oster", "Öster", "stadsdelsomrade", "stad"),
    ("n1", "N1", "stadsdel", "norr"), ("n2", "N2", "stadsdel", "norr"), ("s1", "S1", "stadsdel", "soder"),
]


def test_a_stadsdelsomrade_is_compared_with_its_siblings_and_its_city():
    group = an.peer_group(registry(CITY), "norr")
    assert group.peers == ("soder", "vaster", "oster")
    assert [r.members for r in group.references] == [("stad",)]
    assert group.description == "övriga stadsdelsområden i Staden"


def test_a_kommun_is_compared_with_riket_lanet_and_its_kommungrupp():
    reg = registry([
        ("riket", "Riket", "riket", ""), ("lan", "Stockholms län", "lan", "riket"),
        ("k1", "K1", "kommun", "lan"), ("k2", "K2", "kommun", "lan"), ("k3", "K3", "kommun", "lan"), ("k4", "K4", "kommun", "lan"),
        ("k5", "K5", "kommun", "lan"),
    ])
    groups = pd.DataFrame({"year": [2017, 2017, 2017, 2023, 2023, 2023, 2023], "area_id": ["k1", "k2", "k5", "k1", "k2", "k3", "k4"],
                           "kommungrupp": ["A", "A", "A", "B", "B", "B", "C"]})
    group = an.peer_group(reg, "k1", groups, 2024)
    assert group.peers == ("k2", "k3")  # the 2023 grouping applies to 2024
    assert [r.label for r in group.references] == ["Riket", "Stockholms län", "Kommungruppen B"]
    assert group.references[-1].members == ("k1", "k2", "k3")
    assert an.peer_group(reg, "k1", groups, 2020).peers == ("k2", "k5")
    without = an.peer_group(reg, "k1", None, 2024)
    assert without.peers == ("k2", "k3", "k4", "k5") and without.description == "övriga kommuner i Stockholms län"
    lone = registry([("k", "K", "kommun", "")])
    assert an.peer_group(lone, "k") is None


def test_period_counts_from_monthly_counts_yearly_counts_and_crimes():
    reg = registry(CITY)
    counts = pd.DataFrame({
        "year": [2023, 2023, 2023, 2023, 2022], "month": [1, 10, 11, math.nan, math.nan], "area_id": ["n1", "n2", "n1", "soder", "soder"],
        "category": ["x"] * 5, "count": [5, 7, 100, 40, 30],
    })
    crimes = pd.DataFrame({"area_id": ["s1", "s1", "s1"], "reported_date": pd.to_datetime(["2023-01-05", "2023-10-31", "2023-11-01"])})
    out = an.period_counts(counts, crimes, reg, ["norr", "soder", "vaster"], [2022, 2023], end_month=10)
    assert out.loc["norr", 2023] == 12  # January and October of its stadsdelar, not November
    assert math.isnan(out.loc["norr", 2022])  # no rows
    assert math.isnan(out.loc["soder", 2023])  # a yearly count cannot answer 1 jan–31 okt
    assert out.loc["vaster", 2023] == 0  # no counts: counted in crimes, which have none for it
    whole = an.period_counts(counts, crimes, reg, ["soder"], [2023], end_month=12)
    assert whole.loc["soder", 2023] == 40
    assert an.areas_without_counts(counts, reg, ["norr", "soder", "vaster"]) == ["vaster"]
    only_crimes = an.period_counts(None, crimes, reg, ["soder"], [2023], end_month=10)
    assert only_crimes.loc["soder", 2023] == 2


def test_rates_and_pooled_rates():
    counts = pd.DataFrame({2023: [50.0, 150.0]}, index=["a", "b"])
    pops = pd.DataFrame({2023: [1000.0, 3000.0]}, index=["a", "b"])
    assert an.rates(counts, pops).loc["a", 2023] == pytest.approx(5000.0)
    assert an.pooled_rate(counts, pops, ["a", "b"])[2023] == pytest.approx(5000.0)
    pops.loc["b", 2023] = math.nan
    assert math.isnan(an.pooled_rate(counts, pops, ["a", "b"])[2023])


# ------------------------------------------------------------------------- the sentence
def _row(count, rate, position):
    return pd.Series({"count": count, "rate": rate, "position": position})


def test_inside_the_limits_is_no_significant_difference():
    text = funnel_sentence("Norr", _row(900, 4010.4, "inside"), 4000.0, "alla stadsdelsområden i Staden", "1 jan–31 okt", 2023)
    assert "ligger inom kontrollgränserna" in text
    assert "ingen statistiskt säkerställd skillnad mot gruppen sammantaget" in text
    assert "högre" not in text and "lägre" not in text and "få fall" not in text
    assert "4 010 anmälda brott per 100\u00a0000" not in text  # thin space as thousands separator
    assert "4\u202f010 anmälda brott per 100 000 invånare" in text


def test_outside_the_limits_says_the_direction_and_that_it_is_significant():
    over = funnel_sentence("Norr", _row(1300, 6500.0, "over_95"), 5000.0, "alla", "1 jan–31 okt", 2023)
    assert "över den övre kontrollgränsen för 95 % men inom den för 99,8 %" in over
    assert "högre än gruppen sammantaget (statistiskt säkerställt)" in over
    under = funnel_sentence("Norr", _row(700, 3500.0, "under_998"), 5000.0, "alla", "1 jan–31 okt", 2023)
    assert "under den nedre kontrollgränsen för 99,8 %" in under and "lägre än gruppen sammantaget (statistiskt säkerställt)" in under


def test_few_cases_get_the_caveat_in_words():
    text = funnel_sentence("Norr", _row(7, 700.0, "inside"), 500.0, "alla", "1 jan–31 okt", 2023)
    assert text.endswith("Jämförelsen bygger på få fall (sju brott); en skillnad kan bero på slumpen.")


def test_populations_follow_the_contract_rule_of_population_total():
    """Own rows where an area has them, else the sum of its sub-areas; ``alla`` never added to
    kvinna + man; a missing year takes the latest earlier one."""
    from lagesbild_lib.analysis.population import population_total

    reg = registry(CITY)
    pop = pd.DataFrame(
        [(2022, "n1", "0-19", "kvinna", 10), (2022, "n1", "0-19", "man", 12), (2022, "n1", "0-19", "alla", 30),
         (2022, "n1", "20-64", "kvinna", 40), (2022, "n1", "20-64", "man", 41), (2022, "n2", "0-19", "alla", 7),
         (2022, "norr", "0-19", "alla", 1000), (2022, "s1", "65+", "man", 5)],
        columns=["year", "area_id", "age_group", "sex", "count"],
    )
    out = an.populations(pop, reg, ["n1", "norr", "soder", "vaster", "stad"], [2022, 2023])
    for area in ["n1", "norr", "soder", "stad"]:
        assert out.loc[area, 2022] == population_total(pop, reg, area, 2022), area
    assert out.loc["n1", 2022] == 30 + 81 and out.loc["norr", 2022] == 1000 and out.loc["stad", 2022] == 1005
    assert out.loc["n1", 2023] == out.loc["n1", 2022]  # 2023 missing: 2022's population
    assert math.isnan(out.loc["vaster", 2022])


# ------------------------------------------------------------------------- the sections on the demo data
def test_sections_on_the_demo_data(demo_dir):
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.present.pieces import Chart, Missing, Text
    from lagesbild_lib.sections import peers

    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    text, chart = peers.rate_comparison(ctx)
    assert isinstance(text, Text) and isinstance(chart, Chart)
    assert list(chart.data["År"]) == [2019, 2020, 2021, 2022, 2023]
    assert list(chart.data.columns[:3]) == ["År", "Hässelby-Vällingby", "Stockholm"]
    assert (chart.data["Jämförda områden"] == 12).all()  # the other twelve stadsdelsområden
    row = chart.data.iloc[-1]
    assert row["Nedre kvartil"] < row["Övre kvartil"]
    assert f"mellan {an_int(row['Nedre kvartil'])} och {an_int(row['Övre kvartil'])}" in text.markdown
    funnel_chart, sentence = peers.funnel(ctx)
    assert len(funnel_chart.data) == 13 and "Hässelby-Vällingby" in set(funnel_chart.data["Område"])
    assert "kontrollgräns" in sentence.markdown and "trattdiagrammet" in sentence.markdown
    assert str(2023) in funnel_chart.caption and funnel_chart.alt.startswith("Trattdiagram för 1 jan–31 okt 2023")
    # a kommun: against riket, its län and its kommungrupp (the demo's peer rows), the other
    # twelve kommuner of the kommungrupp (PEER_KOMMUNER) in the band and the funnel
    solna = chapter_context(2024, "solna", str(demo_dir))
    text, chart = peers.rate_comparison(solna)
    assert not isinstance(text, Missing) and isinstance(chart, Chart)
    assert list(chart.data.columns[:5]) == ["År", "Solna", "Riket", "Stockholms län", "Kommungruppen Pendlingskommun nära storstad"]
    assert (chart.data["Jämförda områden"] == len(PEER_KOMMUNER)).all()
    assert "i riket" in text.markdown and "i Stockholms län" in text.markdown and "i kommungruppen Pendlingskommun" in text.markdown
    funnel_chart, sentence = peers.funnel(solna)
    assert len(funnel_chart.data) == len(PEER_KOMMUNER) + 1 and {"Solna", "Botkyrka", "Ekerö"} <= set(funnel_chart.data["Område"])
    assert "Riket" not in set(funnel_chart.data["Område"])  # references are lines, not points of the funnel
    assert "alla kommuner i kommungruppen Pendlingskommun nära storstad" in sentence.markdown


def an_int(value: float) -> str:
    from lagesbild_lib.present.fmt import fmt_int

    return fmt_int(value)
