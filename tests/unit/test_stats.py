"""Unit tests of lagesbild_lib.analysis.stats, against statsmodels and scipy as reference."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from statsmodels.stats.rates import test_poisson_2indep as sm_poisson_2indep

from lagesbild_lib.analysis.stats import SMALL_SAMPLE, ChangeTest, ProportionTest, is_few_cases, is_small_sample, poisson_change_test, two_proportion_test, wilson_interval
from lagesbild_lib.present.text import monotone_since

COUNT_PAIRS = [(7, 2), (100, 150), (12, 3), (30, 31), (0, 5), (5, 0), (1, 1), (250, 201), (40, 22)]


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # statsmodels' rate ratio at 0
@pytest.mark.parametrize(("before", "after"), COUNT_PAIRS)
def test_poisson_p_value_matches_statsmodels_exact_cond(before, after):
    reference = sm_poisson_2indep(after, 1, before, 1, method="exact-cond").pvalue
    result = poisson_change_test(before, after)
    assert result.p_value == pytest.approx(reference, rel=1e-12)
    assert result.significant == (reference < 0.05)


@pytest.mark.parametrize(
    ("before", "after", "ratio"), [(8, 20, 2.0), (30, 10, 0.5), (50, 40, 304 / 365)]
)
def test_poisson_p_value_with_unequal_exposure(before, after, ratio):
    reference = binomtest(after, before + after, ratio / (1 + ratio)).pvalue
    statsmodels_reference = sm_poisson_2indep(after, ratio, before, 1.0, method="exact-cond").pvalue
    result = poisson_change_test(before, after, exposure_ratio=ratio)
    assert result.p_value == pytest.approx(reference, rel=1e-12)
    assert result.p_value == pytest.approx(statsmodels_reference, rel=1e-9)
    assert result.exposure_ratio == ratio


def test_poisson_change_fields():
    result = poisson_change_test(7, 2)
    assert result == ChangeTest(
        before=7,
        after=2,
        diff=-5,
        pct=pytest.approx(-500 / 7),
        p_value=pytest.approx(0.1796875),
        significant=False,
        few_cases=True,
        exposure_ratio=1.0,
    )
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.after = 3  # type: ignore[misc]


def test_poisson_significant_increase():
    result = poisson_change_test(100, 150)
    assert result.diff == 50
    assert result.pct == pytest.approx(50.0)
    assert result.significant
    assert not result.few_cases


def test_poisson_zero_baseline_has_no_percent():
    result = poisson_change_test(0, 5)
    assert result.pct is None
    assert result.diff == 5
    assert result.p_value == pytest.approx(0.0625)


def test_poisson_both_zero():
    result = poisson_change_test(0, 0)
    assert result.p_value == 1.0
    assert result.pct is None
    assert result.diff == 0
    assert not result.significant


def test_poisson_pct_is_rate_change_for_unequal_exposure():
    # 20 cases in twice the time is the same rate as 10 cases.
    assert poisson_change_test(10, 20, exposure_ratio=2.0).pct == pytest.approx(0.0)


def test_poisson_accepts_numpy_counts():
    result = poisson_change_test(np.int64(12), np.float64(3.0))
    assert (result.before, result.after) == (12, 3)
    assert type(result.before) is int


@pytest.mark.parametrize(
    ("before", "after", "ratio"),
    [
        (-1, 3, 1.0),
        (2.5, 3, 1.0),
        (True, 3, 1.0),
        ("4", 3, 1.0),
        (1, 3, 0.0),
        (1, 3, -1.0),
        (1, 3, math.nan),
    ],
)
def test_poisson_refuses_bad_input(before, after, ratio):
    with pytest.raises(ValueError):
        poisson_change_test(before, after, exposure_ratio=ratio)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (7, 2, True),
        (9, 9, True),
        (15, 3, True),
        (10, 9, True),
        (10, 10, False),
        (0, 19, True),
        (0, 20, False),
        (100, 5, False),
        (0, 0, True),
    ],
)
def test_few_cases_rule(before, after, expected):
    assert is_few_cases(before, after) is expected
    assert poisson_change_test(before, after).few_cases is expected


@pytest.mark.parametrize(
    ("share", "n"),
    [(0.47, 400), (0.0, 5), (1.0, 5), (0.2, 5), (0.5, 1), (0.0, 1), (0.93, 28), (0.333, 1200)],
)
def test_wilson_interval_matches_statsmodels(share, n):
    low_ref, high_ref = proportion_confint(share * n, n, alpha=0.05, method="wilson")
    low, high = wilson_interval(share, n)
    assert low == pytest.approx(low_ref, abs=1e-12)
    assert high == pytest.approx(high_ref, abs=1e-12)
    assert 0.0 <= low <= share <= high <= 1.0


def test_wilson_interval_other_alpha():
    low_ref, high_ref = proportion_confint(30, 100, alpha=0.10, method="wilson")
    assert wilson_interval(0.3, 100, alpha=0.10) == pytest.approx((low_ref, high_ref), abs=1e-12)


def test_wilson_interval_edges():
    low, high = wilson_interval(0.0, 5)
    assert low == 0.0
    assert high == pytest.approx(0.4345, abs=1e-4)
    low, high = wilson_interval(1.0, 5)
    assert high == 1.0
    assert low == pytest.approx(0.5655, abs=1e-4)


@pytest.mark.parametrize(
    ("share", "n"), [(0.5, 0), (0.5, 0.5), (0.5, -3), (1.2, 10), (-0.1, 10), (math.nan, 10)]
)
def test_wilson_interval_refuses_bad_input(share, n):
    with pytest.raises(ValueError):
        wilson_interval(share, n)


@pytest.mark.parametrize(
    ("p1", "n1", "p2", "n2"),
    [
        (0.47, 400, 0.40, 5000),
        (0.30, 50, 0.35, 60),
        (0.1, 1000, 0.12, 1000),
        (0.0, 20, 0.2, 30),
        (1.0, 40, 0.9, 40),
    ],
)
def test_two_proportion_test_matches_statsmodels(p1, n1, p2, n2):
    z_ref, p_ref = proportions_ztest(np.array([p1 * n1, p2 * n2]), np.array([n1, n2]))
    result = two_proportion_test(p1, n1, p2, n2)
    assert isinstance(result, ProportionTest)
    assert result.z == pytest.approx(z_ref, rel=1e-10)
    assert result.p_value == pytest.approx(p_ref, rel=1e-10)
    assert result.diff == pytest.approx(p1 - p2)
    assert result.significant == (p_ref < 0.05)


def test_two_proportion_test_significant_difference():
    result = two_proportion_test(0.47, 400, 0.40, 5000)
    assert result.significant
    assert result.z > 0
    assert result.diff == pytest.approx(0.07)


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_two_proportion_test_degenerate(share):
    result = two_proportion_test(share, 30, share, 80)
    assert result.p_value == 1.0
    assert result.z == 0.0
    assert result.diff == 0.0
    assert not result.significant


def test_two_proportion_test_refuses_bad_input():
    with pytest.raises(ValueError):
        two_proportion_test(0.5, 0, 0.4, 10)
    with pytest.raises(ValueError):
        two_proportion_test(0.5, 10, 1.4, 10)


def test_small_sample():
    assert SMALL_SAMPLE == 30
    assert is_small_sample(29)
    assert not is_small_sample(30)
    assert not is_small_sample(400)
    assert is_small_sample(None)
    assert is_small_sample(math.nan)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ({2019: 50, 2020: 40, 2021: 35, 2022: 20, 2023: 12}, ("minskat", 2019)),
        ({2023: 12, 2021: 35, 2019: 50, 2022: 20, 2020: 40}, ("minskat", 2019)),
        ({2020: 1.5, 2021: 2.0, 2022: 2.5}, ("ökat", 2020)),
        ({2019: 50, 2020: 40, 2021: 45, 2022: 20}, None),
        ({2019: 50, 2020: 40, 2021: 40, 2022: 20}, None),
        ({2019: 50, 2020: 40, 2022: 20}, None),
        ({2022: 50, 2023: 40}, None),
        ({}, None),
        ({2019: 50, 2020: math.nan, 2021: 20}, None),
        ({2019: 10, 2020: 20, 2021: 30, 2022: 25}, None),
    ],
)
def test_monotone_since(series, expected):
    assert monotone_since(series) == expected
