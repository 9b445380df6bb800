"""Population of an area: its own rows where the table has them, else the sum of its sub-areas.

``sex = alla`` is the total and is never added to ``kvinna``/``man`` (DESIGN §6). A report for year Y
uses the population of Y, or the latest earlier year (with a note) when Y is missing.
"""

from __future__ import annotations

import pandas as pd

from .data.areas import AreaRegistry


def population_year(population: pd.DataFrame, year: int) -> int | None:
    """The year whose population a report for ``year`` uses: ``year`` or the latest earlier one."""
    years = sorted(int(y) for y in population["year"].unique() if y <= year)
    return years[-1] if years else None


def _rows_total(rows: pd.DataFrame) -> pd.DataFrame:
    """Counts per age group: the ``alla`` rows where present, else kvinna + man."""
    out = {}
    for age, part in rows.groupby("age_group", sort=True):
        total = part.loc[part["sex"] == "alla", "count"]
        out[age] = int(total.sum()) if len(total) else int(part.loc[part["sex"] != "alla", "count"].sum())
    return pd.Series(out, name="count", dtype="int64")


def population_by_age(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.Series:
    """Population per age group for an area (own rows, else the sum of its children, recursively)."""
    own = population[(population["area_id"] == area_id) & (population["year"] == year)]
    if len(own):
        return _rows_total(own)
    parts = [population_by_age(population, registry, child, year) for child in registry.children(area_id)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.Series(dtype="int64", name="count")
    return pd.concat(parts, axis=1).fillna(0).sum(axis=1).astype("int64").rename("count")


def population_total(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> int | None:
    """Total population of an area in ``year`` (None when the table has nothing for it)."""
    by_age = population_by_age(population, registry, area_id, year)
    return int(by_age.sum()) if len(by_age) else None


def young_share(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> float | None:
    """Share (0–100) of the population aged 0–19 (age groups starting below 20)."""
    by_age = population_by_age(population, registry, area_id, year)
    if not len(by_age) or by_age.sum() == 0:
        return None
    young = sum(v for age, v in by_age.items() if _age_start(age) < 20 and _age_end(age) <= 19)
    return 100.0 * young / by_age.sum()


def _age_start(age_group: str) -> int:
    return int(str(age_group).split("-")[0].rstrip("+"))


def _age_end(age_group: str) -> int:
    text = str(age_group)
    if text.endswith("+"):
        return 200
    return int(text.split("-")[1]) if "-" in text else int(text)


def subarea_population(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.DataFrame:
    """Population of each sub-area in ``year`` and the previous year, with the change.

    Returns
    -------
    DataFrame with columns area_id, name, before, after, diff, pct.
    """
    rows = []
    for child in registry.children(area_id):
        after = population_total(population, registry, child, year)
        before = population_total(population, registry, child, year - 1)
        rows.append(
            {
                "area_id": child,
                "name": registry.name(child),
                "before": before,
                "after": after,
                "diff": None if before is None or after is None else after - before,
                "pct": None if not before or after is None else 100.0 * (after - before) / before,
            }
        )
    return pd.DataFrame(rows, columns=["area_id", "name", "before", "after", "diff", "pct"])
