"""Survey shares, intervals and tests (lagesbild_lib.analysis.survey and the survey statistics of
lagesbild_lib.analysis.stats), checked against statsmodels and on small hand-made tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.analysis.stats import two_proportion_test, wilson_interval
from lagesbild_lib.analysis.survey import (
    age_groups, answer_shares, change_table, changes_since, common_previous_year, compare_with_city, group_gap,
    group_shares, previous_year, rest_share, share_difference_interval, share_interval, shares_by_year, subarea_shares, survey_directions,
    survey_years,
)

# ----------------------------------------------------------------- against statsmodels

WILSON_CASES = [
    (0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 5), (5, 5), (1, 7), (3, 29), (0, 30), (30, 30),
    (14, 30), (47, 100), (0, 1000), (1000, 1000), (4_500, 16_293),
]


@pytest.mark.parametrize("count, n", WILSON_CASES)
@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.01])
def test_wilson_interval_matches_statsmodels_at_edges_and_small_n(count, n, alpha):
    low_ref, high_ref = proportion_confint(count, n, alpha=alpha, method="wilson")
    low, high = wilson_interval(count / n, n, alpha=alpha)
    assert low == pytest.approx(low_ref, abs=1e-12)
    assert high == pytest.approx(high_ref, abs=1e-12)
    low, high = share_interval(count / n, n, alpha=alpha)
    assert low == pytest.approx(low_ref, abs=1e-12)
    assert high == pytest.approx(high_ref, abs=1e-12)
    assert 0.0 <= low <= count / n <= high <= 1.0


@pytest.mark.parametrize("share, n", [(0.0, 3), (1.0, 3), (0.0, 300), (1.0, 300)])
def test_share_interval_at_zero_and_one_is_exact(share, n):
    low, high = share_interval(share, n)
    low_ref, high_ref = proportion_confint(share * n, n, method="wilson")
    if share == 0:
        assert low == 0.0 and low_ref == pytest.approx(0.0, abs=1e-12) and high > 0.0
    else:
        assert high == 1.0 and high_ref == pytest.approx(1.0, abs=1e-12) and low < 1.0


PROPORTION_CASES = [
    (0.0, 10, 0.3, 10),  # a share of 0
    (1.0, 12, 0.5, 20),  # a share of 1
    (0.0, 5, 1.0, 5),  # 0 against 1, small n
    (1 / 3, 3, 2 / 5, 5),  # very small n
    (0.2, 25, 0.5, 28),  # both below 30
    (0.47, 400, 0.40, 5000),
    (0.3108, 148, 0.2761, 16_293),
    (0.9, 50, 0.99, 1000),
]


@pytest.mark.parametrize("p1, n1, p2, n2", PROPORTION_CASES)
def test_two_proportion_test_matches_statsmodels_at_edges_and_small_n(p1, n1, p2, n2):
    z_ref, p_ref = proportions_ztest(np.array([p1 * n1, p2 * n2]), np.array([n1, n2]))
    result = two_proportion_test(p1, n1, p2, n2)
    assert result.z == pytest.approx(z_ref, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(p_ref, rel=1e-9, abs=1e-15)
    assert result.significant == (p_ref < 0.05)
    assert result.diff == pytest.approx(p1 - p2)


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_two_proportion_test_without_variation_is_not_significant(share):
    # statsmodels divides by zero here (nan); the report must say "inte statistiskt säkerställd".
    result = two_proportion_test(share, 4, share, 9)
    assert result.p_value == 1.0 and not result.significant and result.z == 0.0


DIFFERENCE_CASES = [
    (0, 5, 1, 5), (5, 5, 0, 5), (3, 10, 7, 12), (0, 20, 0, 30), (20, 20, 30, 30), (45, 100, 30, 120), (1, 2, 0, 3),
    (150, 400, 90, 380),
]


@pytest.mark.parametrize("c1, n1, c2, n2", DIFFERENCE_CASES)
def test_share_difference_interval_matches_statsmodels_newcombe(c1, n1, c2, n2):
    low_ref, high_ref = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff")
    low, high = share_difference_interval(c1 / n1, n1, c2 / n2, n2)
    assert low == pytest.approx(low_ref, abs=1e-12)
    assert high == pytest.approx(high_ref, abs=1e-12)
    assert -1.0 <= low <= c1 / n1 - c2 / n2 <= high <= 1.0


# ----------------------------------------------------------------- the area against the city


def test_rest_share_takes_the_area_out_of_the_city():
    share, n = rest_share(0.30, 1000, 0.50, 200)
    assert n == 800 and share == pytest.approx((300 - 100) / 800)
    assert rest_share(0.3, 100, 0.3, 100) is None  # the area is the whole city
    assert rest_share(0.10, 1000, 0.60, 200)[0] == 0.0  # rounded published shares: clipped at 0


def test_compare_with_city_tests_against_the_rest_of_the_city():
    result = compare_with_city(0.50, 200, 0.30, 1000)
    z_ref, p_ref = proportions_ztest(np.array([100, 200]), np.array([200, 800]))
    assert result.p_value == pytest.approx(p_ref, rel=1e-9) and result.z == pytest.approx(z_ref, rel=1e-9)
    assert result.diff > 0 and result.significant
    assert compare_with_city(0.3, 100, 0.3, 100) is None
    plain = compare_with_city(0.50, 200, 0.30, 1000, part_of_city=False)
    assert plain.p2 == 0.30 and plain.n2 == 1000


@pytest.mark.parametrize("area, n, city", [(0.2, 50, 0.25), (0.4, 300, 0.28), (0.28, 300, 0.28)])
def test_rest_of_city_lies_on_the_other_side_of_the_city(area, n, city):
    rest, _ = rest_share(city, 5000, area, n)
    assert math.copysign(1, area - city) == math.copysign(1, area - rest) or area == city


# ----------------------------------------------------------------- tables of shares

COLUMNS = ["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"]


@pytest.fixture()
def registry() -> AreaRegistry:
    return AreaRegistry(pd.DataFrame({
        "area_id": ["stad", "norr", "norr-a", "norr-b", "soder"],
        "name": ["Staden", "Norr", "Norr A", "Norr B", "Söder"],
        "level": ["kommun", "stadsdelsomrade", "stadsdel", "stadsdel", "stadsdelsomrade"],
        "parent_id": [None, "stad", "norr", "norr", "stad"],
    }))


@pytest.fixture()
def survey() -> pd.DataFrame:
    rows = []
    for year, a, b, city in ((2021, 0.20, 0.40, 0.30), (2023, 0.30, 0.60, 0.32)):
        rows += [
            (year, "S", "norr-a", "otrygg", "ja", "alla", 100, a),
            (year, "S", "norr-b", "otrygg", "ja", "alla", 20, b),
            (year, "S", "stad", "otrygg", "ja", "alla", 2000, city),
            (year, "S", "norr-a", "otrygg", "ja", "kvinnor", 50, a + 0.1),
            (year, "S", "norr-a", "otrygg", "ja", "män", 50, a - 0.1),
            (year, "S", "norr-a", "oro", "I centrum", "alla", 100, 0.5),
            (year, "S", "norr-a", "oro", "I parker", "alla", 100, 0.2),
            (year, "S", "stad", "oro", "I centrum", "alla", 2000, 0.3),
            (year, "S", "stad", "oro", "I parker", "alla", 2000, 0.25),
        ]
    for year, share in ((2021, 0.35), (2022, 0.38), (2023, 0.33), (2025, 0.1)):
        rows += [(year, "P", "norr", "otrygg", "ja", "alla", 400, share), (year, "P", "stad", "otrygg", "ja", "alla", 4000, 0.3)]
    rows += [(2023, "S", "norr-a", "otrygg", "ja", "65+", 30, 0.5), (2023, "S", "norr-a", "otrygg", "ja", "16-24", 40, 0.2)]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_subarea_shares_flags_small_samples_and_weights_the_area(registry, survey):
    table = subarea_shares(survey, registry, "norr", 2023, "otrygg", "ja", survey_name="S", include=("stad",))
    assert table["area_id"].tolist() == ["norr-a", "norr-b", "norr", "stad"]
    assert table["small"].tolist() == [False, True, False, False]
    norr = table.set_index("area_id").loc["norr"]
    assert norr["share"] == pytest.approx((0.30 * 100 + 0.60 * 20) / 120) and norr["respondents"] == 120
    assert (norr["lo"], norr["hi"]) == pytest.approx(wilson_interval(norr["share"], 120))


def test_years_and_previous_year(registry, survey):
    assert survey_years(survey, registry, "norr", "otrygg", "ja", survey_name="S") == [2021, 2023]
    assert survey_years(survey, registry, "norr", "otrygg", "ja", survey_name="P", up_to=2023) == [2021, 2022, 2023]
    assert previous_year([2021, 2023], 2023) == 2021 and previous_year([2023], 2023) is None
    assert common_previous_year(survey, registry, "norr", "otrygg", "ja", ["S", "P"], 2023) == 2021
    frame = shares_by_year(survey, registry, "norr", [2021, 2023], "otrygg", "ja", survey_name="S")
    assert frame.groupby("year").size().to_dict() == {2021: 3, 2023: 3}


def test_change_table_tests_each_area(registry, survey):
    now = subarea_shares(survey, registry, "norr", 2023, "otrygg", "ja", survey_name="S")
    before = subarea_shares(survey, registry, "norr", 2021, "otrygg", "ja", survey_name="S")
    changes = change_table(now, before).set_index("area_id")
    a = changes.loc["norr-a"]
    ref = two_proportion_test(0.30, 100, 0.20, 100)
    assert a["diff"] == pytest.approx(0.10) and a["p_value"] == pytest.approx(ref.p_value)
    assert changes.loc["norr-b", "small"]  # 20 respondents in both years


def test_survey_directions_and_changes_since(registry, survey):
    d = survey_directions(survey, registry, "norr", "stad", 2023, "otrygg", "ja").set_index("survey")
    assert d.loc["P", "prev_year"] == 2022 and d.loc["P", "change"] == pytest.approx(-0.05)
    assert d.loc["S", "prev_year"] == 2021 and d.loc["S", "change"] > 0
    assert d.loc["S", "city_diff"] > 0 and d.loc["P", "city_share"] == 0.3
    since = changes_since(survey, registry, "norr", "otrygg", "ja", ["P", "S"], 2021, 2023).set_index("survey")
    assert since.loc["P", "diff"] == pytest.approx(-0.02) and since.loc["S", "diff"] > 0


def test_group_gap_women_minus_men_with_newcombe_interval(registry, survey):
    gap = group_gap(survey, registry, "norr-a", 2023, "otrygg", "ja", survey_name="S")
    assert gap.diff == pytest.approx(0.2) and (gap.n1, gap.n2) == (50, 50)
    assert (gap.lo, gap.hi) == pytest.approx(share_difference_interval(0.4, 50, 0.2, 50))
    assert gap.significant == two_proportion_test(0.4, 50, 0.2, 50).significant
    assert group_gap(survey, registry, "soder", 2023, "otrygg", "ja") is None


def test_age_groups_youngest_first(registry, survey):
    groups = age_groups(survey, "otrygg", "S")
    assert groups == ["16-24", "65+"]
    shares = group_shares(survey, registry, "norr", 2023, "otrygg", "ja", groups, "S")
    assert shares["group"].tolist() == ["16-24", "65+"] and shares["respondents"].tolist() == [40, 30]


def test_answer_shares_sorted_largest_first(registry, survey):
    places = answer_shares(survey, registry, "norr", 2023, "oro", survey_name="S")
    assert places["answer"].tolist() == ["I centrum", "I parker"]
    assert places["lo"].lt(places["share"]).all() and places["hi"].gt(places["share"]).all()
    assert answer_shares(survey, registry, "soder", 2023, "oro").empty
