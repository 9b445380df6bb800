"""Survey shares of an area: its own row where the table has one, else the respondent-weighted
mean of its sub-areas (DESIGN §6), with Wilson intervals (DESIGN §8)."""

from __future__ import annotations

import pandas as pd

from .data.areas import AreaRegistry
from .stats import is_small_sample, wilson_interval


def pick_survey(survey: pd.DataFrame, area_ids: list[str], question: str) -> str | None:
    """The survey that covers most of ``area_ids`` for ``question`` (ties: alphabetical)."""
    part = survey[(survey["question"] == question) & survey["area_id"].isin(area_ids)]
    if part.empty:
        return None
    coverage = part.groupby("survey")["area_id"].nunique()
    return sorted(coverage.index, key=lambda s: (-coverage[s], s))[0]


def survey_share(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    group: str = "alla", survey_name: str | None = None,
) -> tuple[float, int] | None:
    """(share 0–1, respondents) for an area, or None when there is no data for it."""
    rows = survey[
        (survey["year"] == year) & (survey["question"] == question) & (survey["answer"] == answer) & (survey["group"] == group)
    ]
    if survey_name is not None:
        rows = rows[rows["survey"] == survey_name]
    return _share(rows, registry, area_id)


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


def subarea_shares(
    survey: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, question: str, answer: str,
    survey_name: str | None = None, include: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Share per sub-area (then the area itself and any ``include`` areas such as the city).

    Returns
    -------
    DataFrame with columns area_id, name, share, respondents, lo, hi, small (fewer than 30 respondents).
    """
    rows = []
    for aid in [*registry.children(area_id), area_id, *include]:
        found = survey_share(survey, registry, aid, year, question, answer, survey_name=survey_name)
        if found is None:
            continue
        share, n = found
        lo, hi = wilson_interval(share, n)
        rows.append({"area_id": aid, "name": registry.name(aid), "share": share, "respondents": n, "lo": lo, "hi": hi, "small": is_small_sample(n)})
    return pd.DataFrame(rows, columns=["area_id", "name", "share", "respondents", "lo", "hi", "small"])
