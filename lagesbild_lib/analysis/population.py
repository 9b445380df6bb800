"""Population of an area: its own rows where the table has them, else the sum of its sub-areas.

``sex = alla`` is the total and is never added to ``kvinna``/``man`` (DESIGN §6). A report for year Y
uses the population of Y, or the latest earlier year (with a note) when Y is missing.

Also the change over time (:func:`population_change`), the split by age group and sex
(:func:`population_by_age_sex`) and its bar chart (:func:`plot_population_by_age_sex`, a matplotlib
Figure, with :func:`population_by_age_sex_alt` for its alt text).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry


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


#: id(population table) -> (a weak reference to it, its own counts per (area, year) by age group).
_OWN_TOTALS: dict[int, tuple[weakref.ref, dict[tuple[str, int], dict[str, int]]]] = {}


def _own_totals(population: pd.DataFrame) -> dict[tuple[str, int], dict[str, int]]:
    """:func:`_rows_total` of every (area, year) with rows of its own ({age group: count}, in age
    group order), computed once per population table: a report asks for the
    population of its area, its siblings and its city hundreds of times, and filtering the whole
    table for each question cost tens of milliseconds (hundreds for a city summed from its stadsdelar)."""
    hit = _OWN_TOTALS.get(id(population))
    if hit is not None and hit[0]() is population:
        return hit[1]
    keys = ["area_id", "year", "age_group"]
    everyone = population["sex"] == "alla"
    alla = population[everyone].groupby(keys, sort=True)["count"].sum()
    split = population[~everyone].groupby(keys, sort=True)["count"].sum()
    counts = alla.combine_first(split).astype("int64").sort_index()  # the alla rows where present, else kvinna + man
    totals: dict[tuple[str, int], dict[str, int]] = {}
    for (area, year, age), n in counts.items():
        totals.setdefault((area, int(year)), {})[age] = int(n)
    key = id(population)
    _OWN_TOTALS[key] = (weakref.ref(population, lambda _ref: _OWN_TOTALS.pop(key, None)), totals)
    return totals


def population_by_age(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.Series:
    """Population per age group for an area (own rows, else the sum of its children, recursively)."""
    own = _own_totals(population).get((area_id, int(year)))
    if own is not None:
        return pd.Series(own, name="count", dtype="int64")
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
    DataFrame with columns area_id, name, before, after, diff, pct, young (share 0–100 aged 0–19).
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
                "young": young_share(population, registry, child, year),
            }
        )
    return pd.DataFrame(rows, columns=["area_id", "name", "before", "after", "diff", "pct", "young"])


# --------------------------------------------------------------------------- change over time


@dataclass(frozen=True)
class PopulationChange:
    """Population of an area in two years and the change between them."""

    year_before: int
    year_after: int
    before: int
    after: int

    @property
    def diff(self) -> int:
        return self.after - self.before

    @property
    def pct(self) -> float | None:
        return None if self.before == 0 else 100.0 * (self.after - self.before) / self.before


def population_change(
    population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int, years_back: int, *, fallback_to_first: bool = False
) -> PopulationChange | None:
    """The change of an area's population from ``year - years_back`` to ``year``.

    Parameters
    ----------
    population
        The ``population`` table.
    registry
        The area registry.
    area_id
        The area.
    year
        The later year (normally from :func:`population_year`).
    years_back
        How many years back to compare with (1: the previous year; 5: five years back).
    fallback_to_first
        When ``year - years_back`` has no data, compare with the first earlier year that has
        (if it lies at least two years back); the returned ``year_before`` says which.

    Returns
    -------
    PopulationChange or None
        None when either year has no population for the area.
    """
    after = population_total(population, registry, area_id, year)
    if after is None:
        return None
    target = year - years_back
    before = population_total(population, registry, area_id, target)
    if before is None and fallback_to_first:
        earlier = sorted(int(y) for y in population["year"].unique() if target < y <= year - 2)
        for candidate in earlier:
            before = population_total(population, registry, area_id, candidate)
            if before is not None:
                target = candidate
                break
    if before is None:
        return None
    return PopulationChange(target, year, before, after)


# --------------------------------------------------------------------------- age and sex

SEXES = ("kvinna", "man")
SEX_LABELS = {"kvinna": "Kvinnor", "man": "Män", "alla": "Alla"}


def age_label(age_group: str) -> str:
    """Swedish label of an age group: ``"0-19"`` → ``"0–19 år"``, ``"65+"`` → ``"65 år och äldre"``."""
    text = str(age_group).strip()
    if text.endswith("+"):
        return f"{text[:-1]} år och äldre"
    return text.replace("-", "\u2013") + " år"


def _age_sort_key(age_group: str) -> tuple[int, int]:
    return _age_start(age_group), _age_end(age_group)


def population_by_age_sex(population: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.DataFrame:
    """Population per age group and sex (own rows, else the sum of the children, recursively).

    Returns
    -------
    DataFrame
        Index the age groups in age order; columns ``kvinna`` and ``man`` when the table splits
        by sex, else the single column ``alla``. Empty when there is no data.
    """
    own = population[(population["area_id"] == area_id) & (population["year"] == year)]
    if len(own):
        split = own[own["sex"].isin(SEXES)]
        if len(split):
            frame = split.pivot_table(index="age_group", columns="sex", values="count", aggfunc="sum").reindex(columns=list(SEXES))
        else:
            frame = own.pivot_table(index="age_group", columns="sex", values="count", aggfunc="sum")[["alla"]]
        frame = frame.fillna(0).astype("int64")
    else:
        parts = [population_by_age_sex(population, registry, child, year) for child in registry.children(area_id)]
        parts = [p for p in parts if len(p)]
        if not parts:
            return pd.DataFrame(dtype="int64")
        # Children with a sex split and children with only totals cannot be added column by column.
        if len({tuple(p.columns) for p in parts}) > 1:
            parts = [p.sum(axis=1).to_frame("alla") for p in parts]
        frame = pd.concat(parts).groupby(level=0).sum().astype("int64")
    frame = frame.loc[sorted(frame.index, key=_age_sort_key)]
    frame.index.name = "age_group"
    frame.columns.name = None
    return frame
