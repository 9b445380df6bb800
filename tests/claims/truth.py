"""What the data say, recomputed for one report (area, year) straight from the data folder.

Tables are read with :class:`~lagesbild_lib.data.dataset.DataSet`; counts are plain pandas over the
rows, and the statistics are the library's tests (exact Poisson test, Wilson interval,
two-proportion test, Poisson trend), which have tests of their own. Nothing here calls a chapter
section: the report says something, this module says what is true, the checks compare.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cached_property

import pandas as pd

from lagesbild_lib.analysis.population import population_total, young_share
from lagesbild_lib.analysis.stats import ChangeTest, is_few_cases, is_small_sample, poisson_change_test, two_proportion_test, wilson_interval
from lagesbild_lib.analysis.survey import compare_with_city, survey_share
from lagesbild_lib.analysis.trend import poisson_trend
from lagesbild_lib.context import report_target

from claims.report import MONTHS

OWN_GROUP = "alla"


def memo(method):
    """Remember a method's result per arguments on its instance (the checks ask the same again and again)."""

    def remembered(self, *args, **kwargs):
        key = (method.__name__, tuple(tuple(a) if isinstance(a, list) else a for a in args), tuple(sorted(kwargs.items())))
        found = self.__dict__.setdefault("_memo", {})
        if key not in found:
            found[key] = method(self, *args, **kwargs)
        return found[key]

    remembered.__name__, remembered.__doc__ = method.__name__, method.__doc__
    return remembered


class Truth:
    """The numbers of one report, recomputed."""

    def __init__(self, data_dir, area: str, year: int):
        target = report_target(year, area, None, data_dir, validate=False)
        self.params = target.params
        self.data = target.data
        self.registry = target.data.areas
        self.area_id, self.year = area, year
        self.name = self.registry.name(area)
        self.period_end: dt.date = target.period_end
        self.children = self.registry.children(area)
        city = self.registry.city_of(area)
        self.city = city if city and city != area else None

    # ------------------------------------------------------------------ names and spans
    def period(self, year: int | None = None) -> str:
        """"1 jan–31 okt 2023" (without the year when ``year`` is 0)."""
        words = f"1 jan–{self.period_end.day} {MONTHS[self.period_end.month - 1]}"
        return f"{words} {year or self.year}" if year != 0 else words

    def id_of(self, name: str) -> str | None:
        """The area id of a name the report uses: a sub-area, the area or the city (a sub-area first:
        Skärholmen's sub-area Skärholmen is "Skärholmen", the whole area "Hela Skärholmen")."""
        for a in [*self.children, self.area_id, *([self.city] if self.city else [])]:
            if self.registry.name(a) == name:
                return a
        return None

    def mine(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["area_id"].isin(self.registry.descendants(self.area_id))]

    def owner(self, area_id: str) -> str | None:
        """The sub-area (or the area itself, without sub-areas) a row of ``area_id`` belongs to."""
        rows = self.children or [self.area_id]
        return self.registry.owner_map(rows).get(area_id)

    # ------------------------------------------------------------------ crimes
    @cached_property
    def crime_years(self) -> list[int]:
        return [y for y in self.data.crime_years if y <= self.year]

    @cached_property
    def crimes(self) -> pd.DataFrame:
        return self.data.crimes_for(self.registry.descendants(self.area_id), self.crime_years[0], self.year)

    @cached_property
    def categories(self) -> pd.DataFrame:
        return self.data.table("crime_categories")

    def in_period(self, frame: pd.DataFrame, column: str, year: int) -> pd.DataFrame:
        """The rows dated 1 January to the period end of ``year`` (29 February → 28 February)."""
        month = self.period_end.month
        end = pd.Timestamp(year, month, min(self.period_end.day, calendar.monthrange(year, month)[1]))
        dates = frame[column]
        return frame[(dates >= pd.Timestamp(year, 1, 1)) & (dates <= end)]

    @memo
    def counts(self, year: int) -> pd.Series:
        """Crimes per category, 1 jan–period end of ``year``."""
        return self.in_period(self.crimes, "reported_date", year)["category"].value_counts()

    def flagged(self, column: str) -> list[str]:
        c = self.categories
        return list(c.loc[c[column].fillna(False).astype(bool), "category"]) if column in c else []

    @cached_property
    def label_of(self) -> dict[str, str]:
        return dict(zip(self.categories["category"], self.categories["label"]))

    @cached_property
    def compstat(self) -> dict[str, ChangeTest]:
        """label → the change of the CompStat category, this year's period against last year's."""
        before, after = self.counts(self.year - 1), self.counts(self.year)
        return {self.label_of[c]: poisson_change_test(int(before.get(c, 0)), int(after.get(c, 0))) for c in self.flagged("compstat")}

    @cached_property
    def groups(self) -> dict[str, ChangeTest]:
        """CompStat group → the change of its summed categories."""
        out = {}
        shown = self.categories[self.categories["compstat"].fillna(False).astype(bool)]
        for group, part in shown.groupby("group", sort=False):
            tests = [self.compstat[label] for label in part["label"]]
            out[group] = poisson_change_test(sum(t.before for t in tests), sum(t.after for t in tests))
        return out

    @cached_property
    def total(self) -> ChangeTest:
        """Every crime of the area (all categories), this year's period against last year's."""
        return poisson_change_test(int(self.counts(self.year - 1).sum()), int(self.counts(self.year).sum()))

    @memo
    def series(self, categories: list[str]) -> dict[int, int]:
        """Crimes of ``categories`` per year, each year 1 jan–period end."""
        part = self.crimes[self.crimes["category"].isin(categories)]
        return {y: len(self.in_period(part, "reported_date", y)) for y in self.crime_years}

    @cached_property
    def category_series(self) -> dict[str, dict[int, int]]:
        return {self.label_of[c]: self.series([c]) for c in self.flagged("compstat")}

    @cached_property
    def break_year(self) -> dict[str, int]:
        """label → the last series break (params ``series_breaks``) inside the years shown."""
        out: dict[str, int] = {}
        for b in self.params.series_breaks:
            if b.category in self.label_of and self.crime_years[0] < b.year <= self.year:
                label = self.label_of[b.category]
                out[label] = max(out.get(label, 0), b.year)
        return out

    def trend_series(self, label: str) -> dict[int, int]:
        """The series a trend is fitted on: the years since the category's last series break."""
        since = self.break_year.get(label, 0)
        return {y: v for y, v in self.category_series[label].items() if y >= since}

    @cached_property
    def trends(self):
        """label → Poisson trend over :meth:`trend_series` (None with fewer than three years)."""
        return {label: poisson_trend(self.trend_series(label)) for label in self.category_series}

    @cached_property
    def violent_by_subarea(self) -> dict[str, int]:
        """Violent crimes of the period per sub-area name (zeros kept)."""
        part = self.in_period(self.crimes[self.crimes["category"].isin(self.flagged("violent"))], "reported_date", self.year)
        owners = part["area_id"].map(self.owner).value_counts()
        return {self.registry.name(a): int(owners.get(a, 0)) for a in self.children}

    # ------------------------------------------------------------------ population
    @memo
    def population(self, area_id: str | None = None, year: int | None = None) -> int | None:
        pop = self.data.table("population")
        return population_total(pop, self.registry, area_id or self.area_id, year or self.year) if pop is not None else None

    @memo
    def young(self, area_id: str) -> float | None:
        pop = self.data.table("population")
        return young_share(pop, self.registry, area_id, self.year) if pop is not None else None

    # ------------------------------------------------------------------ events and weeks
    @cached_property
    def events(self) -> pd.DataFrame:
        """Critical events of the period in the area, with the sub-area each belongs to."""
        found = self.in_period(self.mine(self.data.table("critical_events")), "event_date", self.year).copy()
        found["owner"] = found["area_id"].map(self.owner).fillna(self.area_id)
        return found

    @memo
    def events_in(self, year: int) -> int:
        return len(self.in_period(self.mine(self.data.table("critical_events")), "event_date", year))

    @memo
    def grid(self, year: int) -> pd.DataFrame:
        """Highest level per (sub-area row, ISO week) of ``year``: the rows are the sub-areas that have
        assessments that year, else the area itself."""
        weekly = self.data.table("weekly_assessments")
        part = weekly[(weekly["year"] == year) & weekly["area_id"].isin(self.registry.descendants(self.area_id))]
        rows = part.assign(row=part["area_id"].map(self.owner))
        if rows["row"].isna().all() or not self.children:
            rows = part.assign(row=self.area_id)
        return rows.dropna(subset=["row"]).pivot_table(index="row", columns="week", values="level", aggfunc="max")

    @memo
    def event_weeks(self, year: int) -> set[int]:
        """ISO weeks of ``year`` with a critical event in the area (its date's ISO year and week)."""
        events = self.mine(self.data.table("critical_events"))
        iso = [d.isocalendar() for d in events["event_date"]]
        return {int(i.week) for i in iso if i.year == year}

    # ------------------------------------------------------------------ survey
    @cached_property
    def survey(self) -> pd.DataFrame | None:
        return self.data.table("survey")

    @memo
    def share(self, area_id: str, year: int, survey: str, question: str = "otrygg_kvallstid", answer: str = "ja",
              group: str = OWN_GROUP) -> tuple[float, int, float, float] | None:
        """(share, respondents, Wilson low, high) of the area's own row or its children's weighted mean."""
        found = survey_share(self.survey, self.registry, area_id, year, question, answer, group=group, survey_name=survey)
        if found is None or found[1] <= 0:
            return None
        return (found[0], found[1], *wilson_interval(found[0], found[1]))

    @memo
    def against_reference(self, area_id: str, year: int, survey: str, question: str = "otrygg_kvallstid", answer: str = "ja"):
        """The test of an area's share against the report's reference (the city, or for a kommun the
        kommun itself), the area's respondents taken out of the reference's."""
        reference = self.city or self.area_id
        a, r = self.share(area_id, year, survey, question, answer), self.share(reference, year, survey, question, answer)
        if a is None or r is None or area_id == reference:
            return None
        return compare_with_city(a[0], a[1], r[0], r[1])

    @memo
    def change(self, area_id: str, before: int, after: int, survey: str, question: str = "otrygg_kvallstid", answer: str = "ja"):
        a, b = self.share(area_id, after, survey, question, answer), self.share(area_id, before, survey, question, answer)
        return None if a is None or b is None else two_proportion_test(a[0], a[1], b[0], b[1])

    @memo
    def survey_years(self, survey: str, question: str = "otrygg_kvallstid") -> list[int]:
        s = self.survey
        part = s[(s["survey"] == survey) & (s["question"] == question) & s["area_id"].isin(self.registry.descendants(self.area_id))]
        return sorted(int(y) for y in part["year"].unique() if y <= self.year)


__all__ = ["Truth", "is_few_cases", "is_small_sample", "poisson_change_test", "two_proportion_test", "wilson_interval"]
