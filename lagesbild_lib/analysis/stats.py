"""The statistics that the report states (DESIGN §8).

- change between two counts: difference, percent change and an exact Poisson test
  (:func:`poisson_change_test`), with a flag for changes that rest on few cases;
- survey shares: Wilson interval (:func:`wilson_interval`), pooled two-proportion z-test
  (:func:`two_proportion_test`) and the small-sample flag (:func:`is_small_sample`);
- trends: a series that falls or rises every year (:func:`monotone_since`).

A result is called significant only when its p-value is below :data:`ALPHA` (0.05).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

from scipy import stats as sps

ALPHA = 0.05
"""Significance level: a change is "statistiskt säkerställd" only when p < ALPHA."""

FEW_CASES_EACH = 10
"""A change rests on few cases when both counts are below this ..."""

FEW_CASES_TOTAL = 20
"""... or when the two counts together are below this."""

SMALL_SAMPLE = 30
"""A survey share on fewer respondents than this is flagged as uncertain."""


@dataclass(frozen=True)
class ChangeTest:
    """Change between two counts and its exact Poisson test.

    Attributes
    ----------
    before, after
        The counts of the earlier and the later period.
    diff
        ``after - before`` (counts, not adjusted for exposure).
    pct
        Percent change of the rate, ``100 * (after / exposure_ratio - before) / before``
        (the plain count change when the periods are equally long); None when ``before == 0``.
    p_value
        Two-sided p-value of the conditional binomial test; 1.0 when both counts are 0.
    significant
        ``p_value < ALPHA``.
    few_cases
        The change rests on few cases (see :func:`poisson_change_test`).
    exposure_ratio
        Length (exposure) of the later period divided by that of the earlier one.
    """

    before: int
    after: int
    diff: int
    pct: float | None
    p_value: float
    significant: bool
    few_cases: bool
    exposure_ratio: float = 1.0


@dataclass(frozen=True)
class ProportionTest:
    """Difference between two shares and its pooled two-proportion z-test.

    Attributes
    ----------
    p1, n1, p2, n2
        The two shares (0–1) and the number of respondents behind each.
    diff
        ``p1 - p2``.
    z
        The z statistic (positive when ``p1 > p2``); 0.0 in the degenerate case.
    p_value
        Two-sided p-value; 1.0 when both shares are 0 or both are 1.
    significant
        ``p_value < ALPHA``.
    """

    p1: float
    n1: float
    p2: float
    n2: float
    diff: float
    z: float
    p_value: float
    significant: bool


def _count(value: object, name: str) -> int:
    """A non-negative whole count, or ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (Integral, Real)):
        raise ValueError(f"{name} must be a whole number of cases, got {value!r}.")
    if not float(value).is_integer() or value < 0:
        raise ValueError(f"{name} must be a whole number of cases, 0 or more, got {value!r}.")
    return int(value)


def is_few_cases(before: int, after: int) -> bool:
    """Tell whether a change between two counts rests on few cases.

    The rule: both counts below :data:`FEW_CASES_EACH` (10), or their sum below
    :data:`FEW_CASES_TOTAL` (20). Below 20 cases in all, the exact test has little power and a
    change of a few cases makes a large percent change (7 → 2 is −71 %); the analysts' caveat
    "bygger på få fall" is then due. (Both counts below 10 means a sum of at most 18, so in
    practice the rule is "fewer than 20 cases in all"; it is written out as analysts state it.)

    Parameters
    ----------
    before, after
        The two counts.

    Returns
    -------
    bool
        True when the change rests on few cases.
    """
    both_small = before < FEW_CASES_EACH and after < FEW_CASES_EACH
    return both_small or before + after < FEW_CASES_TOTAL


def series_rests_on_few_cases(counts) -> bool:
    """The same few-case rule for a series of yearly counts (a trend): fewer than
    :data:`FEW_CASES_EACH` (10) cases a year on average, which for two periods is exactly
    :func:`is_few_cases`'s "fewer than 20 in all". One rule for CompStat, trends, the changes
    table and the findings."""
    values = [int(c) for c in counts]
    return bool(values) and sum(values) < FEW_CASES_EACH * len(values)


def poisson_change_test(before: int, after: int, exposure_ratio: float = 1.0) -> ChangeTest:
    """Test the change between two counts with the exact conditional (binomial) Poisson test.

    Given ``n = before + after`` cases, and equal rates in both periods, ``after`` is binomial
    with ``n`` trials and probability ``e_after / (e_before + e_after)``, i.e.
    ``exposure_ratio / (1 + exposure_ratio)`` (0.5 for equally long periods). The p-value is
    two-sided (scipy's ``binomtest``, same as statsmodels'
    ``test_poisson_2indep(..., method="exact-cond")``).

    Parameters
    ----------
    before, after
        Counts of the earlier and the later period (whole numbers, 0 or more).
    exposure_ratio
        Exposure of the later period divided by that of the earlier one (e.g. days
        covered); 1.0 for equally long periods such as the CompStat year-to-date comparison.

    Returns
    -------
    ChangeTest
        Counts, difference, percent change (None when ``before == 0``), p-value (1.0 when both
        counts are 0), significance at :data:`ALPHA` and the few-cases flag
        (:func:`is_few_cases`).

    Raises
    ------
    ValueError
        If a count is negative or not whole, or ``exposure_ratio`` is not a positive number.
    """
    before = _count(before, "before")
    after = _count(after, "after")
    finite = isinstance(exposure_ratio, Real) and math.isfinite(exposure_ratio)
    if not (finite and exposure_ratio > 0):
        raise ValueError(f"exposure_ratio must be a positive number, got {exposure_ratio!r}.")
    total = before + after
    if total == 0:
        p_value = 1.0
    else:
        prob = exposure_ratio / (1.0 + exposure_ratio)
        p_value = float(sps.binomtest(after, total, prob).pvalue)
    pct = None if before == 0 else 100.0 * (after / exposure_ratio - before) / before
    return ChangeTest(
        before=before,
        after=after,
        diff=after - before,
        pct=pct,
        p_value=p_value,
        significant=p_value < ALPHA,
        few_cases=is_few_cases(before, after),
        exposure_ratio=float(exposure_ratio),
    )


def _check_share(share: float, n: float, name: str = "share") -> None:
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {share!r}.")
    if not n >= 1:
        raise ValueError(f"The number of respondents must be at least 1, got {n!r}.")


def wilson_interval(share: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval of a share.

    Parameters
    ----------
    share
        The observed share, 0–1 (0 and 1 are allowed).
    n
        Number of respondents behind the share, at least 1.
    alpha
        1 − confidence level (0.05 for a 95 % interval).

    Returns
    -------
    tuple of float
        Lower and upper bound, within 0–1.

    Raises
    ------
    ValueError
        If ``share`` is outside 0–1, ``n < 1`` or ``alpha`` is not between 0 and 1.
    """
    _check_share(share, n)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}.")
    z = float(sps.norm.ppf(1.0 - alpha / 2.0))
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (share + z2 / (2.0 * n)) / denominator
    half_width = z * math.sqrt(share * (1.0 - share) / n + z2 / (4.0 * n * n)) / denominator
    # Clamp to [0, 1] and make sure the share itself lies inside (floating point can put the
    # bound a hair past a share of exactly 0 or 1).
    share = float(share)
    return min(share, max(0.0, centre - half_width)), max(share, min(1.0, centre + half_width))


def two_proportion_test(p1: float, n1: float, p2: float, n2: float) -> ProportionTest:
    """Pooled two-proportion z-test (two-sided) of the difference between two shares.

    Used for year-on-year and area-versus-city differences of survey shares. Same statistic as
    statsmodels' ``proportions_ztest([p1 * n1, p2 * n2], [n1, n2])``.

    Parameters
    ----------
    p1, p2
        The two shares, 0–1.
    n1, n2
        Respondents behind each share, at least 1.

    Returns
    -------
    ProportionTest
        ``diff = p1 - p2``, the z statistic, the p-value and significance at :data:`ALPHA`.
        When both shares are 0 or both are 1 there is no variation to test: z is 0.0 and the
        p-value 1.0.

    Raises
    ------
    ValueError
        If a share is outside 0–1 or a number of respondents below 1.
    """
    _check_share(p1, n1, "p1")
    _check_share(p2, n2, "p2")
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if variance <= 0.0:
        z, p_value = 0.0, 1.0
    else:
        z = (p1 - p2) / math.sqrt(variance)
        p_value = float(2.0 * sps.norm.sf(abs(z)))
    return ProportionTest(
        p1=p1,
        n1=n1,
        p2=p2,
        n2=n2,
        diff=p1 - p2,
        z=z,
        p_value=p_value,
        significant=p_value < ALPHA,
    )


def is_small_sample(n: float | None) -> bool:
    """Tell whether a share rests on fewer than :data:`SMALL_SAMPLE` (30) respondents.

    Parameters
    ----------
    n
        Number of respondents; None or NaN (unknown) counts as small.

    Returns
    -------
    bool
        True when the share should be flagged as uncertain.
    """
    if n is None or (isinstance(n, Real) and math.isnan(n)):
        return True
    return n < SMALL_SAMPLE
