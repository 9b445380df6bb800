"""Multi-year trends of counts: Poisson regression (GLM, log link) of count on year."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Trend:
    """Average yearly change of a count series, in percent, with its 95 % interval."""

    first_year: int
    last_year: int
    yearly_pct: float
    lo_pct: float
    hi_pct: float
    p_value: float
    few_cases: bool = False

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


#: A yearly change or bound beyond this many percent comes from a degenerate fit (a series that is
#: almost all zeros): it is not a number a reader can use (a table says "obestämd").
OPEN_PCT = 1e5


def bounded_pct(value: float) -> float | None:
    """A percent from the trend fit, or None when it is infinite or beyond :data:`OPEN_PCT`."""
    return value if math.isfinite(value) and abs(value) <= OPEN_PCT else None


def poisson_trend(series: Mapping[int, float]) -> Trend | None:
    """Fit ``log E[count] = a + b·year``; the yearly change is ``exp(b) − 1``.

    Returns None for fewer than three years or a series that is zero throughout. Over-dispersion
    is allowed for by scaling the standard errors with Pearson's chi² per degree of freedom when
    it exceeds 1 (quasi-Poisson), so a noisy series does not get a falsely narrow interval; a
    smoother-than-Poisson series keeps the Poisson interval.
    """
    from scipy import stats
    import numpy as np

    from lagesbild_lib.analysis.stats import series_rests_on_few_cases
    import statsmodels.api as sm

    years = sorted(series)
    counts = np.array([float(series[y]) for y in years])
    if len(years) < 3 or counts.sum() == 0:
        return None
    x = sm.add_constant(np.array(years, dtype=float) - years[0])
    result = sm.GLM(counts, x, family=sm.families.Poisson()).fit()
    dispersion = max(1.0, float(result.pearson_chi2) / max(result.df_resid, 1))
    beta = float(result.params[1])
    se = float(result.bse[1]) * math.sqrt(dispersion)
    p_value = float(2 * stats.norm.sf(abs(beta / se))) if se > 0 else 1.0
    return Trend(
        first_year=years[0],
        last_year=years[-1],
        yearly_pct=100.0 * math.expm1(beta),
        lo_pct=100.0 * math.expm1(beta - 1.96 * se),
        hi_pct=100.0 * math.expm1(beta + 1.96 * se),
        p_value=p_value,
        few_cases=series_rests_on_few_cases(counts),
    )
