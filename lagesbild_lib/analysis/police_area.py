"""The lokalpolisområde in figures (chapter 1, issue 16): the areas that form the report area's
police area, with their inhabitants and reported crimes in the report's period, and the sum.

Which police area (table ``police_areas``): the one whose members include the report's area or
one of its ancestors (a stadsdel belongs to its stadsdelsområde's police area). An area such as a
whole city, whose parts lie in several police areas, belongs to none.

Crimes of a member: its row-level ``crimes`` (the member and every area below it) when the table
has rows for it, else its ``crime_counts`` (its own rows, else its children's, DESIGN §6).
Every member covers the same span: 1 January to the period end, or, when a member's figures are
monthly counts and the period ends inside a month, to the end of the last whole month for *every*
member (a span is never mixed). A member whose counts are by whole year only cannot answer a
period shorter than the year: its figures are missing, and so is the police area's sum.
Population: each member's total of the report year (the latest earlier year when that is
missing); a member without population stays missing, never 0, and so does the sum.

Functions take DataFrames and return numbers; nothing here reads files or formats text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis.crime import flagged_categories
from lagesbild_lib.analysis.crime_counts import area_counts, whole_months_end
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.data.areas import AreaRegistry

#: The groups of crimes counted: every crime type, and the categories flagged ``violent``.
ALL, VIOLENT = "alla", "vald"
#: Where a member's crimes come from.
FROM_CRIMES, FROM_COUNTS = "crimes", "crime_counts"
#: Why a member has no crime figures: no crime data at all, no counts for the report year, counts
#: by whole year only for a shorter period, monthly counts for a period that ends in January.
MISSING_REASONS = ("no-data", "no-year", "yearly", "part-month")
PER = 1_000


@dataclass(frozen=True)
class PoliceArea:
    """A lokalpolisområde: its id, its name (without the word lokalpolisområde, as the table has it
    unless it starts with it), its member areas in table order and the member the report's area
    belongs to (the area itself or an ancestor)."""

    police_area_id: str
    name: str
    members: tuple[str, ...]
    via: str

    @property
    def title(self) -> str:
        """``"Lokalpolisområde Vällingby"`` (the name as it is when it says so itself)."""
        return self.name if self.name.lower().startswith("lokalpolisområde") else f"Lokalpolisområde {self.name}"


def police_area_of(table: pd.DataFrame | None, registry: AreaRegistry, area_id: str) -> PoliceArea | None:
    """The police area the report's area belongs to, or None (no table, or the area is in none).

    Parameters
    ----------
    table
        The validated ``police_areas`` table (an area is in at most one police area).
    registry
        The area registry.
    area_id
        The report's area.
    """
    if table is None or table.empty:
        return None
    rows = table.set_index("area_id", drop=False)
    via = next((a for a in [area_id, *registry.ancestors(area_id)] if a in rows.index), None)
    if via is None:
        return None
    police_area_id = str(rows.loc[via, "police_area_id"])
    mine = table[table["police_area_id"] == police_area_id]
    return PoliceArea(police_area_id, str(mine["name"].iloc[0]), tuple(str(a) for a in mine["area_id"]), via)


@dataclass(frozen=True)
class MemberFigures:
    """One member's figures: population and crimes per group (:data:`ALL`, :data:`VIOLENT`).

    ``counts`` is None when the data cannot answer the period, and ``missing`` says why: one of
    :data:`MISSING_REASONS`. ``preliminary`` and ``suppressed`` describe the ``crime_counts`` rows
    used (suppressed values count as 0)."""

    area_id: str
    population: int | None
    counts: dict[str, int] | None
    source: str
    preliminary: bool = False
    suppressed: int = 0
    missing: str = ""

    def rate(self, group: str) -> float | None:
        """Crimes of ``group`` per 1 000 inhabitants (None when either is missing or the population is 0)."""
        if self.counts is None or not self.population:
            return None
        return self.counts[group] / self.population * PER


@dataclass(frozen=True)
class PoliceAreaFigures:
    """The police area's members and their sum, over one span (:attr:`start`–:attr:`end`)."""

    area: PoliceArea
    members: tuple[MemberFigures, ...]
    groups: tuple[str, ...]
    start: dt.date
    end: dt.date
    period_end: dt.date  # the report's period end; :attr:`end` is earlier when cut at whole months
    population_year: int | None

    @property
    def whole_months(self) -> bool:
        """True when the span was cut at the end of a whole month, before the report's period end."""
        return self.end != self.period_end

    @property
    def population(self) -> int | None:
        """The police area's population: the members' sum, None when any member's is missing."""
        values = [m.population for m in self.members]
        return None if any(v is None for v in values) else int(sum(values))

    def total(self, group: str) -> int | None:
        """The police area's crimes of ``group``: the members' sum, None when any member's is missing."""
        if any(m.counts is None for m in self.members):
            return None
        return int(sum(m.counts[group] for m in self.members))

    def rate(self, group: str) -> float | None:
        """The police area's crimes of ``group`` per 1 000 inhabitants (None when either is missing)."""
        total, population = self.total(group), self.population
        return None if total is None or not population else total / population * PER

    def member(self, area_id: str) -> MemberFigures:
        return next(m for m in self.members if m.area_id == area_id)


def _category_sets(categories: pd.DataFrame) -> dict[str, list[str] | None]:
    """The groups counted: every category (None: no filter), and the violent ones when any is flagged."""
    out: dict[str, list[str] | None] = {ALL: None}
    violent = flagged_categories(categories, "violent")
    if violent:
        out[VIOLENT] = violent
    return out


def _per_group(frame: pd.DataFrame, groups: dict[str, list[str] | None], weight: str | None) -> dict[str, int]:
    def total(part: pd.DataFrame) -> int:
        return int(part[weight].sum()) if weight else len(part)

    return {g: total(frame if cats is None else frame[frame["category"].isin(cats)]) for g, cats in groups.items()}


def _months(rows: pd.DataFrame) -> pd.Series:
    """The rows' months as floats (NaN: a count of the whole year, or no ``month`` column)."""
    if "month" not in rows.columns:
        return pd.Series(float("nan"), index=rows.index)
    return rows["month"].astype("Float64").astype(float)


def _flag(rows: pd.DataFrame, column: str) -> pd.Series:
    return rows[column].fillna(False).astype(bool) if column in rows.columns else pd.Series(False, index=rows.index)


def police_area_figures(
    police_area: PoliceArea, registry: AreaRegistry, crimes: pd.DataFrame | None, counts: pd.DataFrame | None,
    categories: pd.DataFrame, population: pd.DataFrame | None, year: int, period_end: dt.date,
) -> PoliceAreaFigures:
    """Every member's population and crimes in the report's period, and how they were counted.

    Parameters
    ----------
    police_area
        The police area (:func:`police_area_of`).
    registry
        The area registry.
    crimes
        Row-level crimes of the members and the areas below them (``area_id``, ``reported_date``,
        ``category``), of every year with data up to ``year``; None without a crimes table.
    counts
        The ``crime_counts`` table, or None.
    categories
        The ``crime_categories`` table (``violent`` marks the violent crimes).
    population
        The ``population`` table, or None.
    year, period_end
        The report's year and the last day of its period (1 January – ``period_end``).

    Returns
    -------
    PoliceAreaFigures
    """
    groups = _category_sets(categories)
    sources: dict[str, tuple[str, pd.DataFrame]] = {}
    for member in police_area.members:
        below = registry.descendants(member)
        if crimes is not None and crimes["area_id"].isin(below).any():
            sources[member] = (FROM_CRIMES, crimes[crimes["area_id"].isin(below)])
        elif counts is not None and not (rows := area_counts(counts, registry, member)).empty:
            sources[member] = (FROM_COUNTS, rows[rows["year"] == year])
        else:
            sources[member] = ("", pd.DataFrame())
    monthly = [rows for kind, rows in sources.values() if kind == FROM_COUNTS and len(rows) and _months(rows).notna().all()]
    end = period_end
    if monthly and (whole := whole_months_end(year, period_end)) is not None:
        end = whole  # monthly counts end with a month: every member is cut there, so they cover the same span
    pop_year = population_year(population, year) if population is not None and not population.empty else None
    members = []
    for member in police_area.members:
        kind, rows = sources[member]
        people = population_total(population, registry, member, pop_year) if pop_year is not None else None
        if kind == FROM_CRIMES:
            dates = rows["reported_date"]
            inside = rows[(dates >= pd.Timestamp(year, 1, 1)) & (dates <= pd.Timestamp(end))]
            members.append(MemberFigures(member, people, _per_group(inside, groups, None), kind))
        elif kind == FROM_COUNTS:
            month = _months(rows)
            by_year = bool(month.isna().any())  # a yearly count answers only the whole year
            usable = len(rows) > 0 and ((end.month, end.day) == (12, 31) if by_year else whole_months_end(year, end) == end)
            missing = "" if usable else "no-year" if not len(rows) else "yearly" if by_year else "part-month"
            inside = rows[(month.isna() | (month <= end.month).fillna(False)).to_numpy(dtype=bool)]
            members.append(MemberFigures(
                member, people, _per_group(inside, groups, "count") if usable else None, kind,
                preliminary=bool(_flag(inside, "preliminary").any()), suppressed=int(_flag(inside, "suppressed").sum()),
                missing=missing,
            ))
        else:
            members.append(MemberFigures(member, people, None, "", missing="no-data"))
    return PoliceAreaFigures(police_area, tuple(members), tuple(groups), dt.date(year, 1, 1), end, period_end, pop_year)
