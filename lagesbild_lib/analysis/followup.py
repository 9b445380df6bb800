"""The åtgärdsplan and its follow-up (lag 2023:196 §5): each measure's indicator then and now,
with the statistics the rest of the report uses, and whether its target was met.

- a crime category: the count of 1 January to the period end of each year, the exact Poisson test
  (:func:`~lagesbild_lib.analysis.stats.poisson_change_test`) and the few-case rule;
- a survey question: the share answering ``ja`` (Wilson interval) and the two-proportion test;
- an indicator of the ``indicators`` table: the change only (register data, no test).

A target is met when the value now has reached it, as the reader sees the numbers (rounded as
shown): at or below a target under the baseline, at or above one over it; a target equal to the
baseline (keep the level) is met when the value is not worse, lower being better for crimes and
survey shares and for risk indicators, higher for protective ones. Nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis.crime import same_period
from lagesbild_lib.analysis.indicators import DECIMALS, total_rows
from lagesbild_lib.analysis.stats import ChangeTest, ProportionTest, poisson_change_test, two_proportion_test, wilson_interval
from lagesbild_lib.analysis.survey import survey_share
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.plan_checks import KIND_TABLES
from lagesbild_lib.present.fmt import rounded

CRIME, SURVEY, INDICATOR = "brott", "enkät", "indikator"


@dataclass(frozen=True)
class Reading:
    """One value of a measure's indicator: the year, the value (a count, a 0–1 share or an
    indicator value), respondents behind a share, and the unit (``antal``, ``andel`` or the
    indicator's unit)."""

    year: int
    value: float
    unit: str
    respondents: int | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.value, self.respondents) if self.respondents else None


@dataclass(frozen=True)
class FollowUp:
    """The follow-up of one measure: its indicator then (the baseline year) and now, the test of
    the change (None for indicators and when a value is missing), the target and whether it was met
    (None when it cannot be told)."""

    measure_id: str
    kind: str | None
    indicator: str | None
    then: Reading | None
    now: Reading | None
    test: ChangeTest | ProportionTest | None
    target: float | None
    met: bool | None

    @property
    def diff(self) -> float | None:
        return None if self.then is None or self.now is None else self.now.value - self.then.value


# ----------------------------------------------------------------------------- readings
def crime_reading(crimes: pd.DataFrame | None, registry: AreaRegistry, area_id: str, category: str, year: int, period_end: dt.date) -> Reading | None:
    """Crimes of ``category`` in the area (and below it), 1 January to the period end of ``year``;
    None without crime rows for that year."""
    if crimes is None:
        return None
    dates = crimes["reported_date"]
    if not (dates.dt.year == year).any():
        return None
    start, end = same_period(year, period_end)
    rows = crimes["area_id"].isin(registry.descendants(area_id)) & (crimes["category"] == category) & (dates >= start) & (dates <= end)
    return Reading(year, float(int(rows.sum())), "antal")


def survey_reading(survey: pd.DataFrame | None, registry: AreaRegistry, area_id: str, question: str, survey_name: str | None, year: int) -> Reading | None:
    """The share answering ``ja`` to ``question`` in the area in ``year`` (group ``alla``)."""
    if survey is None:
        return None
    found = survey_share(survey, registry, area_id, year, question, "ja", survey_name=survey_name)
    return None if found is None or found[1] < 1 else Reading(year, float(found[0]), "andel", int(found[1]))


def survey_years(survey: pd.DataFrame | None, registry: AreaRegistry, area_id: str, question: str, survey_name: str | None) -> list[int]:
    """The years the area (or an area below it) has answers to ``question``."""
    if survey is None:
        return []
    rows = (survey["question"] == question) & survey["area_id"].isin(registry.descendants(area_id))
    if survey_name is not None:
        rows &= survey["survey"] == survey_name
    return sorted(int(y) for y in survey.loc[rows, "year"].unique())


def indicator_reading(indicators: pd.DataFrame | None, area_id: str, indicator: str, year: int) -> Reading | None:
    """The area's own value of ``indicator`` in ``year``."""
    if indicators is None:
        return None
    indicators = total_rows(indicators)
    rows = indicators[(indicators["area_id"] == area_id) & (indicators["indicator"] == indicator) & (indicators["year"] == year)]
    return None if rows.empty else Reading(year, float(rows["value"].iloc[0]), str(rows["unit"].iloc[0]))


def indicator_years(indicators: pd.DataFrame | None, area_id: str, indicator: str) -> list[int]:
    if indicators is None:
        return []
    indicators = total_rows(indicators)
    rows = (indicators["area_id"] == area_id) & (indicators["indicator"] == indicator)
    return sorted(int(y) for y in indicators.loc[rows, "year"].unique())


# ----------------------------------------------------------------------------- target and test
def shown_value(reading: Reading, value: float | None = None) -> float:
    """A value as the reader sees it: a count whole, a share in whole percent, an indicator with
    the decimals of its unit."""
    value = reading.value if value is None else value
    if reading.unit == "antal":
        return float(rounded(value, 0))
    if reading.unit == "andel":
        return float(rounded(value, 0, 100))
    return float(rounded(value, DECIMALS.get(reading.unit, 1)))


def target_met(then: Reading | None, now: Reading | None, target: float | None, higher_is_better: bool = False) -> bool | None:
    """Whether ``now`` has reached ``target`` (see the module's docstring); None without a value now
    or without a target."""
    if now is None or target is None or pd.isna(target):
        return None
    shown_now, shown_target = shown_value(now), shown_value(now, target)
    if then is not None:
        shown_then = shown_value(then)
        if shown_target < shown_then:
            return shown_now <= shown_target
        if shown_target > shown_then:
            return shown_now >= shown_target
    return shown_now >= shown_target if higher_is_better else shown_now <= shown_target


def change_test(kind: str, then: Reading | None, now: Reading | None) -> ChangeTest | ProportionTest | None:
    """The test of the change from ``then`` to ``now``: exact Poisson for counts (equally long
    periods), two-proportion for shares, none for indicators."""
    if then is None or now is None:
        return None
    if kind == CRIME:
        return poisson_change_test(int(then.value), int(now.value))
    if kind == SURVEY:
        return two_proportion_test(now.value, now.respondents, then.value, then.respondents)
    return None


def follow_up_measure(
    measure: pd.Series, year: int, period_end: dt.date, registry: AreaRegistry, *, crimes: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None, higher_is_better: bool = False,
) -> FollowUp:
    """The follow-up in report year ``year`` of one row of the ``atgarder`` table.

    Parameters
    ----------
    measure
        A row of ``atgarder`` (``measure_id``, ``area_id``, ``indicator_kind``, ``indicator``,
        ``survey``, ``baseline_year``, ``target``, ``plan_year``).
    year, period_end
        The report year and its period end (the span of crime counts in every year).
    registry
        The area registry (a measure's area counts with everything below it).
    crimes, survey, indicators
        The tables; crimes need rows for the measure's area.
    higher_is_better
        For an indicator: a protective factor (keeping its level means not falling).

    Returns
    -------
    FollowUp
        "Then" is the baseline year (default: the year before the plan year); "now" the report
        year, or for a survey or an indicator the latest year up to it after the baseline.
    """
    kind, indicator = _text(measure.get("indicator_kind")), _text(measure.get("indicator"))
    target = None if pd.isna(measure.get("target")) else float(measure.get("target"))
    if kind is None or indicator is None:
        return FollowUp(str(measure["measure_id"]), kind, indicator, None, None, None, target, None)
    area = str(measure["area_id"])
    base = measure.get("baseline_year")
    then_year = int(base) if base is not None and not pd.isna(base) else int(measure["plan_year"]) - 1
    if kind == CRIME:
        then = crime_reading(crimes, registry, area, indicator, then_year, period_end)
        now = crime_reading(crimes, registry, area, indicator, year, period_end)
    elif kind == SURVEY:
        name = _text(measure.get("survey"))
        then = survey_reading(survey, registry, area, indicator, name, then_year)
        later = [y for y in survey_years(survey, registry, area, indicator, name) if then_year < y <= year]
        now = survey_reading(survey, registry, area, indicator, name, later[-1]) if later else None
    else:
        then = indicator_reading(indicators, area, indicator, then_year)
        later = [y for y in indicator_years(indicators, area, indicator) if then_year < y <= year]
        now = indicator_reading(indicators, area, indicator, later[-1]) if later else None
    met = target_met(then, now, target, higher_is_better and kind == INDICATOR)
    return FollowUp(str(measure["measure_id"]), kind, indicator, then, now, change_test(kind, then, now), target, met)


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


# ----------------------------------------------------------------------------- gaps
def plan_gaps(plan: pd.DataFrame, causes: pd.DataFrame | None, known: dict[str, set[str] | None]) -> list[tuple[str, str]]:
    """The gaps of a plan: (measure id, what is wrong), in plan order.

    A measure without an indicator; one that points at a problem or cause not in the orsaksanalys
    (``causes``: the ``orsaker`` rows of the plan's year and area; None when there is none); one
    whose indicator the data do not have (``known``: ids per kind, None when the table is absent).
    """
    gaps: list[tuple[str, str]] = []
    problems = set() if causes is None else set(causes["problem_id"].astype(str))
    cause_ids = set() if causes is None else set(causes["cause_id"].astype(str))
    for row in plan.itertuples(index=False):
        mid, kind, indicator = str(row.measure_id), _text(getattr(row, "indicator_kind", None)), _text(getattr(row, "indicator", None))
        if indicator is None:
            gaps.append((mid, "ingen indikator: åtgärdens effekt kan inte följas upp"))
        elif kind is not None and kind in known and known[kind] is None:
            gaps.append((mid, f"indikatorns tabell {KIND_TABLES[kind][0] if kind in KIND_TABLES else kind} saknas i datamappen: åtgärden kan inte följas upp"))
        elif kind is not None and known.get(kind) is not None and indicator not in known[kind]:
            gaps.append((mid, f"indikatorn {indicator!r} finns inte i data"))
        cause = _text(getattr(row, "cause_id", None))
        if causes is None:
            gaps.append((mid, "ingen orsaksanalys för planens år: åtgärden kan inte knytas till en orsak"))
        elif str(row.problem_id) not in problems:
            gaps.append((mid, f"problemet {row.problem_id!r} finns inte i orsaksanalysen"))
        elif cause is None:
            gaps.append((mid, "ingen orsak angiven: åtgärden är inte knuten till någon orsak i orsaksanalysen"))
        elif cause not in cause_ids:
            gaps.append((mid, f"orsaken {cause!r} finns inte i orsaksanalysen"))
    return gaps
