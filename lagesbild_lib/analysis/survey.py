"""Survey shares of an area: its own row where the table has one, else the respondent-weighted
mean of its sub-areas (DESIGN §6), with Wilson intervals and two-proportion tests (DESIGN §8).

Every function takes the validated ``survey`` table and returns plain values or DataFrames; none
reads files or draws. Shares are on 0–1; differences between shares are on 0–1 too (multiply by
100 for percentage points).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.known_values import GROUP_ALL, GROUP_MEN as MEN, GROUP_WOMEN as WOMEN  # noqa: F401  (re-exported)
from lagesbild_lib.analysis.stats import ProportionTest, is_small_sample, two_proportion_test, wilson_interval

SHARE_COLUMNS = ["area_id", "name", "share", "respondents", "lo", "hi", "small"]


def pick_survey(survey: pd.DataFrame, area_ids: list[str], question: str) -> str | None:
    """The survey that covers most of ``area_ids`` for ``question`` (ties: alphabetical)."""
    part = survey[(survey["question"] == question) & survey["area_id"].isin(area_ids)]
    if part.empty:
        return None
    coverage = part.groupby("survey")["area_id"].nunique()
    return sorted(coverage.index, key=lambda s: (-coverage[s], s))[0]


def _rows(
    survey: pd.DataFrame, year: int | None, question: str, answer: str | None, group: str, survey_name: str | None,
) -> pd.DataFrame:
    mask = (survey["question"] == question) & (survey["group"] == group)
    if year is not None:
        mask &= survey["year"] == year
    if answer is not None:
        mask &= survey["answer"] == answer
    if survey_name is not None:
        mask &= survey["survey"] == survey_name
    return survey[mask]


def survey_share(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    group: str = GROUP_ALL, survey_name: str | None = None,
) -> tuple[float, int] | None:
    """(share 0–1, respondents) for an area, or None when there is no data for it."""
    return _share(_rows(survey, year, question, answer, group, survey_name), registry, area_id)


def _share(rows: pd.DataFrame, registry: AreaRegistry, area_id: str) -> tuple[float, int] | None:
    own = rows[rows["area_id"] == area_id]
    if len(own):
        n = int(own["respondents"].sum())
        return float((own["share"] * own["respondents"]).sum() / n), n
    parts = [p for p in (_share(rows, registry, c) for c in registry.children(area_id)) if p is not None]
    if not parts:
        return None
    n = sum(p[1] for p in parts)
    return sum(p[0] * p[1] for p in parts) / n, n


def share_interval(share: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """The Wilson interval of a share: :func:`lagesbild_lib.analysis.stats.wilson_interval`.

    The bounds lie within 0–1 and always contain the share itself (exactly 0 and 1 at a share
    of 0 and 1, as statsmodels gives them).
    """
    return wilson_interval(share, n, alpha)


def share_record(area_id: str, name: str, share: float, respondents: int) -> dict:
    """One row of a share table: the share, its Wilson 95 % interval and the small-sample flag."""
    lo, hi = share_interval(share, respondents)
    return {
        "area_id": area_id, "name": name, "share": share, "respondents": int(respondents),
        "lo": lo, "hi": hi, "small": is_small_sample(respondents),
    }


def subarea_shares(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    survey_name: str | None = None, include: tuple[str, ...] = (), group: str = GROUP_ALL,
) -> pd.DataFrame:
    """Share per sub-area (then the area itself and any ``include`` areas such as the city).

    Parameters
    ----------
    survey
        The validated ``survey`` table.
    registry
        The area registry.
    area_id
        The report area; its direct children are the sub-areas.
    year, question, answer, group
        Which share: the year, the question id, the answer counted and the respondent group.
    survey_name
        Only rows of this survey (all surveys pooled when None).
    include
        Further areas appended after the area (e.g. the city).

    Returns
    -------
    DataFrame
        Columns area_id, name, share, respondents, lo, hi (Wilson 95 % interval) and small (fewer
        than 30 respondents); areas without data are left out.
    """
    rows = _rows(survey, year, question, answer, group, survey_name)
    out = []
    for aid in dict.fromkeys([*registry.children(area_id), area_id, *include]):
        found = _share(rows, registry, aid)
        if found is not None:
            out.append(share_record(aid, registry.name(aid), *found))
    return pd.DataFrame(out, columns=SHARE_COLUMNS)


def survey_years(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, question: str, answer: str | None = None,
    survey_name: str | None = None, up_to: int | None = None,
) -> list[int]:
    """Years in which the survey gives a share for the area (own row or any area below it).

    Parameters
    ----------
    up_to
        Leave out later years (a report for 2023 does not show 2025).

    Returns
    -------
    list of int, ascending.
    """
    rows = _rows(survey, None, question, answer, GROUP_ALL, survey_name)
    rows = rows[rows["area_id"].isin(registry.descendants(area_id))]
    years = sorted(int(y) for y in rows["year"].unique())
    return [y for y in years if up_to is None or y <= up_to]


def previous_year(years: list[int], year: int) -> int | None:
    """The latest year of ``years`` before ``year`` (the previous survey year), or None."""
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def shares_by_year(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, years: list[int], question: str, answer: str,
    survey_name: str | None = None, include: tuple[str, ...] = (),
) -> pd.DataFrame:
    """:func:`subarea_shares` for several years, stacked, with a ``year`` column first."""
    frames = [
        subarea_shares(survey, registry, area_id, y, question, answer, survey_name=survey_name, include=include).assign(year=y)
        for y in years
    ]
    columns = ["year", *SHARE_COLUMNS]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def change_table(this_year: pd.DataFrame, last_year: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of each area's share, tested with the two-proportion test.

    Parameters
    ----------
    this_year, last_year
        Share tables (:func:`subarea_shares`) of the report year and of the previous survey year.

    Returns
    -------
    DataFrame
        One row per area present in both years, in the order of ``this_year``: area_id, name,
        share_before, respondents_before, lo_before, hi_before, share, respondents, lo, hi, diff
        (share − share_before), p_value, significant, small (either year below 30 respondents).
    """
    before = last_year.set_index("area_id")
    rows = []
    for r in this_year.itertuples(index=False):
        if r.area_id not in before.index:
            continue
        b = before.loc[r.area_id]
        test = two_proportion_test(r.share, r.respondents, float(b["share"]), float(b["respondents"]))
        rows.append({
            "area_id": r.area_id, "name": r.name,
            "share_before": float(b["share"]), "respondents_before": int(b["respondents"]),
            "lo_before": float(b["lo"]), "hi_before": float(b["hi"]),
            "share": r.share, "respondents": r.respondents, "lo": r.lo, "hi": r.hi,
            "diff": test.diff, "p_value": test.p_value, "significant": test.significant,
            "small": bool(r.small or b["small"]),
        })
    columns = ["area_id", "name", "share_before", "respondents_before", "lo_before", "hi_before",
               "share", "respondents", "lo", "hi", "diff", "p_value", "significant", "small"]
    return pd.DataFrame(rows, columns=columns)


def rest_share(whole: float, whole_n: float, part: float, part_n: float) -> tuple[float, int] | None:
    """Share and respondents of the rest of a whole once a part of it is taken out.

    An area's respondents are also the city's; testing the area against the whole city would
    compare a sample with itself. The city minus the area is independent of the area, and it lies
    on the other side of the city's share from the area's, so "higher than the city" and "higher
    than the rest of the city" always agree.

    Returns
    -------
    (share, respondents), the share clipped to 0–1 (published shares are rounded); None when the
    part holds all of the whole's respondents (or more).
    """
    rest_n = int(round(whole_n - part_n))
    if rest_n < 1:
        return None
    share = (whole * whole_n - part * part_n) / rest_n
    return min(1.0, max(0.0, share)), rest_n


def compare_with_city(share: float, n: float, city_share: float, city_n: float, part_of_city: bool = True) -> ProportionTest | None:
    """Test an area's share against the city's.

    Parameters
    ----------
    share, n
        The area's share and respondents.
    city_share, city_n
        The city's share and respondents.
    part_of_city
        The area's respondents are included in the city's (the usual case): the area is then
        tested against the rest of the city (:func:`rest_share`).

    Returns
    -------
    ProportionTest or None
        ``diff`` is area minus the rest of the city (its sign is that of area minus city); None
        when the area is the whole city.
    """
    if part_of_city:
        rest = rest_share(city_share, city_n, share, n)
        if rest is None:
            return None
        return two_proportion_test(share, n, *rest)
    return two_proportion_test(share, n, city_share, city_n)


def share_difference_interval(p1: float, n1: float, p2: float, n2: float, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's hybrid score interval for the difference of two independent shares, ``p1 − p2``.

    Built from the two Wilson intervals (Newcombe 1998, method 10), so it agrees with the
    intervals shown for each share and behaves at shares of 0 and 1 and at small n. Same as
    statsmodels' ``confint_proportions_2indep(..., method="newcomb", compare="diff")``.

    Returns
    -------
    tuple of float
        Lower and upper bound of the difference, within −1 to 1.
    """
    l1, u1 = share_interval(p1, n1, alpha)
    l2, u2 = share_interval(p2, n2, alpha)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(-1.0, low), min(1.0, high)


@dataclass(frozen=True)
class GroupGap:
    """The difference between two respondent groups' shares (e.g. women minus men).

    Attributes
    ----------
    area_id, name
        The area.
    share1, n1, share2, n2
        The two groups' shares and respondents.
    diff, lo, hi
        ``share1 − share2`` and its Newcombe 95 % interval.
    p_value, significant
        Two-proportion test of the difference.
    small
        Either group has fewer than 30 respondents.
    """

    area_id: str
    name: str
    share1: float
    n1: int
    share2: float
    n2: int
    diff: float
    lo: float
    hi: float
    p_value: float
    significant: bool
    small: bool


def group_gap(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    survey_name: str | None = None, group1: str = WOMEN, group2: str = MEN,
) -> GroupGap | None:
    """The gap between two groups' shares in an area, with interval and test; None without data."""
    a = survey_share(survey, registry, area_id, year, question, answer, group=group1, survey_name=survey_name)
    b = survey_share(survey, registry, area_id, year, question, answer, group=group2, survey_name=survey_name)
    if a is None or b is None:
        return None
    lo, hi = share_difference_interval(a[0], a[1], b[0], b[1])
    test = two_proportion_test(a[0], a[1], b[0], b[1])
    return GroupGap(
        area_id, registry.name(area_id), a[0], a[1], b[0], b[1], test.diff, lo, hi, test.p_value, test.significant,
        is_small_sample(a[1]) or is_small_sample(b[1]),
    )


def _age_key(group: str) -> tuple[int, str]:
    match = re.match(r"\s*(\d+)", group)
    return (int(match.group(1)) if match else 10_000, group)


def age_groups(survey: pd.DataFrame, question: str, survey_name: str | None = None) -> list[str]:
    """Respondent groups other than ``alla``/``kvinnor``/``män`` (age bands), youngest first."""
    part = survey[survey["question"] == question]
    if survey_name is not None:
        part = part[part["survey"] == survey_name]
    groups = set(part["group"].unique()) - {GROUP_ALL, WOMEN, MEN}
    return sorted(groups, key=_age_key)


def group_shares(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    groups: list[str], survey_name: str | None = None,
) -> pd.DataFrame:
    """Share per respondent group in one area: columns group, share, respondents, lo, hi, small."""
    out = []
    for g in groups:
        found = survey_share(survey, registry, area_id, year, question, answer, group=g, survey_name=survey_name)
        if found is not None:
            rec = share_record(area_id, registry.name(area_id), *found)
            out.append({"group": g, **{k: rec[k] for k in ("share", "respondents", "lo", "hi", "small")}})
    return pd.DataFrame(out, columns=["group", "share", "respondents", "lo", "hi", "small"])


def answer_shares(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, survey_name: str | None = None,
) -> pd.DataFrame:
    """Share naming each answer of a (multi-choice) question in one area, largest first.

    Returns
    -------
    DataFrame with columns answer, share, respondents, lo, hi, small.
    """
    rows = _rows(survey, year, question, None, GROUP_ALL, survey_name)
    out = []
    for answer in sorted(rows["answer"].unique()):
        found = _share(rows[rows["answer"] == answer], registry, area_id)
        if found is not None:
            rec = share_record(area_id, registry.name(area_id), *found)
            out.append({"answer": answer, **{k: rec[k] for k in ("share", "respondents", "lo", "hi", "small")}})
    frame = pd.DataFrame(out, columns=["answer", "share", "respondents", "lo", "hi", "small"])
    return frame.sort_values(["share", "answer"], ascending=[False, True], kind="stable").reset_index(drop=True)


def survey_directions(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, city_id: str | None, year: int, question: str, answer: str,
) -> pd.DataFrame:
    """Each survey's latest share for the area, its change since its previous year and its place vs the city.

    Used to see whether two surveys of the same question tell the same story.

    Returns
    -------
    DataFrame
        One row per survey with data for the area up to ``year``, alphabetically: survey, year
        (its latest year ≤ ``year``), share, respondents, lo, hi, prev_year, prev_share,
        prev_respondents, change (share − prev_share, NaN without a previous year),
        change_significant, city_share, city_respondents, city_diff (sign of area − city; NaN
        without a city row or when the area is the city), city_significant.
    """
    rows = []
    part = survey[(survey["question"] == question) & (survey["answer"] == answer)]
    for name in sorted(part["survey"].unique()):
        years = survey_years(part, registry, area_id, question, answer, survey_name=name, up_to=year)
        if not years:
            continue
        latest, prev = years[-1], previous_year(years, years[-1])
        now = survey_share(part, registry, area_id, latest, question, answer, survey_name=name)
        if now is None:
            continue
        row = {"survey": name, **{k: v for k, v in share_record(area_id, "", *now).items() if k not in ("area_id", "name", "small")},
               "year": latest, "prev_year": prev, "prev_share": math.nan, "prev_respondents": math.nan,
               "change": math.nan, "change_significant": False, "city_share": math.nan, "city_respondents": math.nan,
               "city_diff": math.nan, "city_significant": False}
        before = survey_share(part, registry, area_id, prev, question, answer, survey_name=name) if prev else None
        if before is not None:
            test = two_proportion_test(now[0], now[1], *before)
            row.update(prev_share=before[0], prev_respondents=before[1], change=test.diff, change_significant=test.significant)
        if city_id and city_id != area_id:
            city = survey_share(part, registry, city_id, latest, question, answer, survey_name=name)
            if city is not None:
                test = compare_with_city(now[0], now[1], *city)
                row.update(city_share=city[0], city_respondents=city[1])
                if test is not None:
                    row.update(city_diff=test.diff, city_significant=test.significant)
        rows.append(row)
    columns = ["survey", "year", "share", "respondents", "lo", "hi", "prev_year", "prev_share", "prev_respondents",
               "change", "change_significant", "city_share", "city_respondents", "city_diff", "city_significant"]
    return pd.DataFrame(rows, columns=columns)


def common_previous_year(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, question: str, answer: str, surveys: list[str], year: int,
) -> int | None:
    """The latest year before ``year`` in which every one of ``surveys`` measured the area, or None.

    Surveys run at different intervals (every year, every second year); their directions of
    change are only comparable over the same span.
    """
    common = None
    for name in surveys:
        years = set(survey_years(survey, registry, area_id, question, answer, survey_name=name, up_to=year - 1))
        common = years if common is None else common & years
    return max(common) if common else None


def changes_since(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, question: str, answer: str, surveys: list[str],
    base: int, year: int,
) -> pd.DataFrame:
    """Each survey's change of the area's share from ``base`` to ``year``, tested.

    Returns
    -------
    DataFrame
        Columns survey, base, year, share_before, respondents_before, share, respondents, diff,
        p_value, significant; surveys without both years are left out.
    """
    rows = []
    for name in surveys:
        before = survey_share(survey, registry, area_id, base, question, answer, survey_name=name)
        now = survey_share(survey, registry, area_id, year, question, answer, survey_name=name)
        if before is None or now is None:
            continue
        test = two_proportion_test(now[0], now[1], *before)
        rows.append({"survey": name, "base": base, "year": year, "share_before": before[0], "respondents_before": before[1],
                     "share": now[0], "respondents": now[1], "diff": test.diff, "p_value": test.p_value,
                     "significant": test.significant})
    columns = ["survey", "base", "year", "share_before", "respondents_before", "share", "respondents", "diff", "p_value", "significant"]
    return pd.DataFrame(rows, columns=columns)
